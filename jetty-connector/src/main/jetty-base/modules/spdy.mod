[description]
Enables SPDY/3.1 and SPDY/3 on the TLS connector, negotiated with ALPN
as "spdy/3.1" and "spdy/3". Servlets and webapps run over it unchanged.
When the "http2" module is also enabled, ALPN prefers h2, then spdy/3.1,
spdy/3 and http/1.1 (set jetty.alpn.protocols to choose another order).

[tags]
connector
spdy
http
ssl

[depend]
ssl
alpn

[after]
http2

[before]
https

[lib]
lib/spdy/*.jar

[xml]
etc/jetty-spdy.xml

[ini-template]
# tag::documentation[]
## Protocols offered over ALPN, most preferred first. Add spdy/2 for SPDY/2
## clients (no flow control: a connection stops reading while servlets lag).
# jetty.spdy.protocols=spdy/3.1,spdy/3

## Streams a client may open at once (SETTINGS_MAX_CONCURRENT_STREAMS).
# jetty.spdy.maxConcurrentStreams=100

## Receive window of each stream, in bytes (SETTINGS_INITIAL_WINDOW_SIZE).
# jetty.spdy.initialWindowSize=65536

## Receive window of the session, in bytes (SPDY/3.1 only).
# jetty.spdy.sessionWindowSize=1048576

## Largest control frame accepted, in bytes (8192 .. 16777215).
# jetty.spdy.maxControlFrameLength=65536

## Header bytes one request may carry over all its header blocks.
# jetty.spdy.maxHeaderBytes=16384

## Inflated bytes one header block may produce before the session is closed.
# jetty.spdy.headerInflateLimit=131072

## Headers one header block may carry.
# jetty.spdy.maxHeaderCount=100

## Response header compression: NONE, FAST, BEST or SAFE.
# jetty.spdy.compressionPolicy=NONE

## Largest DATA frame sent, in bytes (1 .. 16777215).
# jetty.spdy.maxDataFrameLength=16384

## The most bytes written to the socket in one gathering write; batches start at 64 KiB
## and grow towards this only while the socket takes each in one write.
# jetty.spdy.maxOutputBatchBytes=1048576

## Control frames that may wait for the socket before the session fails.
# jetty.spdy.maxQueuedControlFrames=1000

## Streams a client may open over one session's life (0: no limit); then GOAWAY and a new connection.
# jetty.spdy.maxStreamsPerSession=1000

## Bytes per second a client must take output waiting for the socket, averaged over each window
## (0: no minimum); a slower reader's connection is closed.
# jetty.spdy.minResponseDataRate=1024

## Milliseconds over which the minimum response data rate is averaged; the first window is the grace.
# jetty.spdy.dataRateWindow=10000

## Whether the overhead budget against frame floods is enforced.
# jetty.spdy.abuseProtection=true

## Abuse budget: initial allowance of the overhead budget.
# jetty.spdy.abuseCredit=100

## Abuse budget: cost of a PING, SETTINGS or unknown control frame.
# jetty.spdy.abuseControlFrameCost=10

## Abuse budget: cost of a reset caused by the peer before its stream was answered.
# jetty.spdy.abuseResetCost=50

## Abuse budget: credit for an admitted stream or a full DATA frame.
# jetty.spdy.abuseStreamCredit=20

## Abuse budget: cost of a small non-final DATA frame.
# jetty.spdy.abuseEmptyDataCost=10

## Abuse budget: budget repaid per second.
# jetty.spdy.abuseDecayPerSecond=20

## Abuse budget: empty non-final DATA frames tolerated in a row.
# jetty.spdy.abuseMaxConsecutiveEmptyData=2

## Abuse budget: frames charged to the budget tolerated per second, whatever the credit.
# jetty.spdy.abuseMaxEventsPerSecond=128

## Abuse budget: resets charged to the budget tolerated per window in each direction, whatever the credit.
# jetty.spdy.abuseMaxResetsPerWindow=200

## Abuse budget: the window of abuseMaxResetsPerWindow, in seconds.
# jetty.spdy.abuseResetWindowSeconds=30

## Stream idle timeout in milliseconds (0: the connector's idle timeout).
# jetty.spdy.streamIdleTimeout=0

## How long a closing connection drains input after its last write, in milliseconds.
# jetty.spdy.lingerTimeout=2000

## Whether PushBuilder.push() in a servlet pushes (SPDY/3 and SPDY/3.1).
# jetty.spdy.pushServletApi=true

## Whether a response's Link: <...>; rel=preload headers are pushed.
# jetty.spdy.pushPreloadLinks=true

## Whether sub-resources clients fetch right after a page are learned (per user agent)
## and pushed with that page to later clients.
# jetty.spdy.pushLearning=false

## Pushes one response may start (0: never push).
# jetty.spdy.maxPushesPerResponse=32

## Known bytes of learned resources one response may push.
# jetty.spdy.maxPushBytesPerResponse=4194304

## How soon after a page its sub-resources must be fetched to be learned, in milliseconds.
# jetty.spdy.pushLearningWindow=2000
# end::documentation[]

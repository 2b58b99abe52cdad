[description]
Enables clear-text SPDY/3.1 on the HTTP connector, next to HTTP/1.1:
the first bytes of a connection tell SPDY (80 03) from HTTP, so one
port serves both. Servlets and webapps run over it unchanged.

[tags]
connector
spdy
http

[depend]
http

[before]
proxy-protocol

[lib]
lib/spdy/*.jar

[xml]
etc/jetty-spdyc.xml

[ini-template]
# tag::documentation[]
## Versions accepted on the clear-text port. With spdy/2 listed, a client whose
## first frame says version 2 gets SPDY/2 (no flow control: its connection
## stops reading while servlets lag).
# jetty.spdyc.protocols=spdy/3.1,spdy/3

## What clear-text connections speak: spdy/3.1 or spdy/3.
# jetty.spdyc.plainProtocol=spdy/3.1

## Streams a client may open at once (SETTINGS_MAX_CONCURRENT_STREAMS).
# jetty.spdyc.maxConcurrentStreams=100

## Receive window of each stream, in bytes (SETTINGS_INITIAL_WINDOW_SIZE).
# jetty.spdyc.initialWindowSize=65536

## Receive window of the session, in bytes (SPDY/3.1 only).
# jetty.spdyc.sessionWindowSize=1048576

## Largest control frame accepted, in bytes (8192 .. 16777215).
# jetty.spdyc.maxControlFrameLength=65536

## Header bytes one request may carry over all its header blocks.
# jetty.spdyc.maxHeaderBytes=16384

## Inflated bytes one header block may produce before the session is closed.
# jetty.spdyc.headerInflateLimit=131072

## Headers one header block may carry.
# jetty.spdyc.maxHeaderCount=100

## Response header compression: NONE, FAST, BEST or SAFE.
# jetty.spdyc.compressionPolicy=NONE

## Largest DATA frame sent, in bytes (1 .. 16777215).
# jetty.spdyc.maxDataFrameLength=16384

## The most bytes written to the socket in one gathering write; batches start at 64 KiB
## and grow towards this only while the socket takes each in one write.
# jetty.spdyc.maxOutputBatchBytes=1048576

## Control frames that may wait for the socket before the session fails.
# jetty.spdyc.maxQueuedControlFrames=1000

## Streams a client may open over one session's life (0: no limit); then GOAWAY and a new connection.
# jetty.spdyc.maxStreamsPerSession=1000

## Bytes per second a client must take output waiting for the socket, averaged over each window
## (0: no minimum); a slower reader's connection is closed.
# jetty.spdyc.minResponseDataRate=1024

## Milliseconds over which the minimum response data rate is averaged; the first window is the grace.
# jetty.spdyc.dataRateWindow=10000

## Whether the overhead budget against frame floods is enforced.
# jetty.spdyc.abuseProtection=true

## Abuse budget: initial allowance of the overhead budget.
# jetty.spdyc.abuseCredit=100

## Abuse budget: cost of a PING, SETTINGS or unknown control frame.
# jetty.spdyc.abuseControlFrameCost=10

## Abuse budget: cost of a reset caused by the peer before its stream was answered.
# jetty.spdyc.abuseResetCost=50

## Abuse budget: credit for an admitted stream or a full DATA frame.
# jetty.spdyc.abuseStreamCredit=20

## Abuse budget: cost of a small non-final DATA frame.
# jetty.spdyc.abuseEmptyDataCost=10

## Abuse budget: budget repaid per second.
# jetty.spdyc.abuseDecayPerSecond=20

## Abuse budget: empty non-final DATA frames tolerated in a row.
# jetty.spdyc.abuseMaxConsecutiveEmptyData=2

## Abuse budget: frames charged to the budget tolerated per second, whatever the credit.
# jetty.spdyc.abuseMaxEventsPerSecond=128

## Abuse budget: resets charged to the budget tolerated per window in each direction, whatever the credit.
# jetty.spdyc.abuseMaxResetsPerWindow=200

## Abuse budget: the window of abuseMaxResetsPerWindow, in seconds.
# jetty.spdyc.abuseResetWindowSeconds=30

## Stream idle timeout in milliseconds (0: the connector's idle timeout).
# jetty.spdyc.streamIdleTimeout=0

## How long a closing connection drains input after its last write, in milliseconds.
# jetty.spdyc.lingerTimeout=2000

## Whether PushBuilder.push() in a servlet pushes (SPDY/3 and SPDY/3.1).
# jetty.spdyc.pushServletApi=true

## Whether a response's Link: <...>; rel=preload headers are pushed.
# jetty.spdyc.pushPreloadLinks=true

## Whether sub-resources clients fetch right after a page are learned (per user agent)
## and pushed with that page to later clients.
# jetty.spdyc.pushLearning=false

## Pushes one response may start (0: never push).
# jetty.spdyc.maxPushesPerResponse=32

## Known bytes of learned resources one response may push.
# jetty.spdyc.maxPushBytesPerResponse=4194304

## How soon after a page its sub-resources must be fetched to be learned, in milliseconds.
# jetty.spdyc.pushLearningWindow=2000
# end::documentation[]

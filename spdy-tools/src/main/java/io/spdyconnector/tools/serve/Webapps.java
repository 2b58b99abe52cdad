package io.spdyconnector.tools.serve;

import io.spdyconnector.tools.ExitCodes;
import io.spdyconnector.tools.ToolException;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Turns the command line's WARs, directories and {@code --context} paths into what to deploy where.
 * One webapp goes to {@code /} unless told otherwise, so that {@code spdy serve app.war} serves it at
 * the root; several go to {@code /<file name>} (ROOT to {@code /}), as a container's webapps folder would.
 */
final class Webapps {
    /** The sample webapp, copied into the jar by the build next to this class. */
    static final String BUNDLED_SAMPLE = "sample.war";

    private Webapps() {
    }

    static List<ServerSettings.Webapp> resolve(List<Path> locations, List<String> contexts, Path workDir) {
        List<Path> resolved = new ArrayList<>();
        if (locations.isEmpty()) {
            resolved.add(extractSample(workDir));
        } else {
            for (Path p : locations) {
                if (!Files.exists(p)) {
                    throw new ToolException(ExitCodes.USAGE, "no such WAR or directory: " + p);
                }
                if (!Files.isDirectory(p) && !Files.isReadable(p)) {
                    throw new ToolException(ExitCodes.USAGE, "cannot read " + p);
                }
                resolved.add(p.toAbsolutePath().normalize());
            }
        }
        if (contexts.size() > resolved.size()) {
            throw new ToolException(ExitCodes.USAGE, "more --context paths (" + contexts.size() + ") than webapps ("
                    + resolved.size() + ")");
        }
        List<ServerSettings.Webapp> webapps = new ArrayList<>();
        Set<String> taken = new HashSet<>();
        for (int i = 0; i < resolved.size(); i++) {
            Path location = resolved.get(i);
            String context = i < contexts.size() ? normalize(contexts.get(i))
                    : resolved.size() == 1 ? "/" : fromName(location);
            if (!taken.add(context)) {
                throw new ToolException(ExitCodes.USAGE, "two webapps at context path " + context
                        + " (use --context once per webapp, in order)");
            }
            webapps.add(new ServerSettings.Webapp(location, context));
        }
        return webapps;
    }

    /** "/app", from "app", "/app/" or "/app"; "/" for the root. */
    static String normalize(String context) {
        String c = context.trim();
        while (c.endsWith("/") && c.length() > 1) {
            c = c.substring(0, c.length() - 1);
        }
        if (!c.startsWith("/")) {
            c = "/" + c;
        }
        if (c.contains("//") || c.contains("?") || c.contains("#")) {
            throw new ToolException(ExitCodes.USAGE, "bad --context path: " + context);
        }
        return c;
    }

    private static String fromName(Path location) {
        String name = location.getFileName().toString();
        if (name.toLowerCase(Locale.ROOT).endsWith(".war")) {
            name = name.substring(0, name.length() - 4);
        }
        return name.equals("ROOT") ? "/" : "/" + name;
    }

    private static Path extractSample(Path workDir) {
        try (InputStream in = Webapps.class.getResourceAsStream(BUNDLED_SAMPLE)) {
            if (in == null) {
                throw new ToolException(ExitCodes.SERVE_FAILED,
                        "this build has no bundled sample webapp: name a WAR or a directory to serve");
            }
            Path war = workDir.resolve(BUNDLED_SAMPLE);
            Files.copy(in, war);
            return war;
        } catch (IOException e) {
            throw new ToolException(ExitCodes.SERVE_FAILED, "cannot unpack the sample webapp: " + e.getMessage(), e);
        }
    }
}

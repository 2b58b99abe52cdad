package io.spdyconnector.tools;

import io.spdyconnector.tools.bench.BenchCommand;
import io.spdyconnector.tools.get.GetCommand;
import io.spdyconnector.tools.serve.ServeCommand;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

import java.io.PrintStream;
import java.io.PrintWriter;
import java.util.Map;

/**
 * The {@code spdy} command. It only parses and dispatches: a command touches Jetty or Tomcat classes
 * only once it runs, so that {@code --help} and {@code get} start without loading a container.
 */
@Command(name = "spdy", mixinStandardHelpOptions = true, versionProvider = SpdyTool.Version.class,
        description = {"Serve WARs over SPDY, fetch URLs over SPDY, load-test SPDY against h2c and HTTP/1.1.", ""},
        subcommands = {ServeCommand.class, GetCommand.class, BenchCommand.class, CommandLine.HelpCommand.class},
        synopsisSubcommandLabel = "(serve | get | bench | help)")
public final class SpdyTool implements Runnable {
    private final PrintStream out;
    private final PrintStream err;

    @Spec
    private CommandSpec spec;

    public SpdyTool(PrintStream out, PrintStream err) {
        this.out = out;
        this.err = err;
    }

    public static void main(String[] args) {
        System.exit(run(System.out, System.err, args));
    }

    /** Runs one command line with the given streams and returns its exit code (tests call this). */
    public static int run(PrintStream out, PrintStream err, String... args) {
        CommandLine cl = commandLine(out, err);
        return cl.execute(args);
    }

    /** The configured command line: exit codes in every help page, one-line errors. */
    public static CommandLine commandLine(PrintStream out, PrintStream err) {
        CommandLine cl = new CommandLine(new SpdyTool(out, err));
        // "-d @file" names a request body, as in curl: never a picocli argument file.
        cl.setExpandAtFiles(false);
        cl.setCaseInsensitiveEnumValuesAllowed(true);
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        cl.setExecutionExceptionHandler((ex, command, parseResult) -> failed(err, command, ex));
        cl.setParameterExceptionHandler((ex, args) -> {
            CommandLine command = ex.getCommandLine();
            err.println(name(command) + ": " + ex.getMessage());
            err.println("Try '" + command.getCommandSpec().qualifiedName() + " --help' for more information.");
            return ExitCodes.USAGE;
        });
        exitCodes(cl, ExitCodes.OK, ExitCodes.USAGE, ExitCodes.INTERNAL_ERROR);
        exitCodes(cl.getSubcommands().get("serve"), ExitCodes.OK, ExitCodes.USAGE, ExitCodes.SERVE_FAILED,
                ExitCodes.INTERNAL_ERROR);
        exitCodes(cl.getSubcommands().get("get"), ExitCodes.OK, ExitCodes.USAGE, ExitCodes.CONNECT_FAILED,
                ExitCodes.EXCHANGE_FAILED, ExitCodes.HTTP_ERROR, ExitCodes.INTERNAL_ERROR);
        exitCodes(cl.getSubcommands().get("bench"), ExitCodes.OK, ExitCodes.USAGE, ExitCodes.CONNECT_FAILED,
                ExitCodes.REQUESTS_FAILED, ExitCodes.INTERNAL_ERROR);
        return cl;
    }

    private static void exitCodes(CommandLine command, int... codes) {
        Map<String, String> list = new java.util.LinkedHashMap<>();
        for (int code : java.util.stream.IntStream.of(codes).sorted().toArray()) {
            list.put(String.format("%3d", code), ExitCodes.meaning(code));
        }
        command.getCommandSpec().usageMessage().exitCodeListHeading("%nExit codes:%n").exitCodeList(list);
    }

    private static int failed(PrintStream err, CommandLine command, Exception ex) {
        if (ex instanceof ToolException) {
            err.println(name(command) + ": " + ex.getMessage());
            return ((ToolException) ex).exitCode();
        }
        err.println(name(command) + ": internal error: " + ex);
        ex.printStackTrace(err);
        return ExitCodes.INTERNAL_ERROR;
    }

    private static String name(CommandLine command) {
        return command.getCommandSpec().qualifiedName();
    }

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "missing command: serve, get or bench");
    }

    /** Where commands print results (the body, the report, the access log). */
    public PrintStream out() {
        return out;
    }

    /** Where commands print diagnostics, progress and traces. */
    public PrintStream err() {
        return err;
    }

    /** The version of the jar, from its manifest ("dev" when run from classes). */
    public static String version() {
        String v = SpdyTool.class.getPackage().getImplementationVersion();
        return v == null ? "dev" : v;
    }

    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[] {"spdy " + version() + " (Java " + System.getProperty("java.version") + ")"};
        }
    }
}

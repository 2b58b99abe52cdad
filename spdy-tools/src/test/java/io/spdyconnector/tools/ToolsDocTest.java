package io.spdyconnector.tools;

import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.Model.OptionSpec;

import java.io.IOException;
import java.io.PrintStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/** docs/tools.md keeps up with the code: every option of every command, and the exit codes. */
class ToolsDocTest {
    private static final Path DOC = Path.of(System.getProperty("basedir", ".")).resolveSibling("docs")
            .resolve("tools.md");

    @Test
    void namesEveryOptionOfEveryCommand() throws IOException {
        String doc = Files.readString(DOC);
        PrintStream nowhere = new PrintStream(OutputStream.nullOutputStream());
        CommandLine spdy = SpdyTool.commandLine(nowhere, nowhere);
        for (String command : new String[] {"serve", "get", "bench"}) {
            for (OptionSpec option : spdy.getSubcommands().get(command).getCommandSpec().options()) {
                if (option.usageHelp() || option.versionHelp()) {
                    continue;
                }
                assertThat(doc).as("spdy %s %s", command, option.longestName())
                        .containsPattern("`[^`]*" + Pattern.quote(option.longestName().replace("--[no-]", "--"))
                                + "[^`]*`");
            }
        }
    }

    @Test
    void exitCodeTableMatchesTheCode() throws IOException {
        String doc = Files.readString(DOC);
        for (int code = ExitCodes.OK; code <= ExitCodes.SERVE_FAILED; code++) {
            Matcher row = Pattern.compile("(?m)^\\| " + code + " \\| (.+?) \\|").matcher(doc);
            assertThat(row.find()).as("a row for exit code %d", code).isTrue();
            String meaning = ExitCodes.meaning(code);
            assertThat(row.group(1).toLowerCase()).as("exit code %d", code)
                    .contains(meaning.split(" ")[0]);
        }
    }
}

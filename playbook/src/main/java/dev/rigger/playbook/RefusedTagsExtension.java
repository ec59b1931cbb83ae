package dev.rigger.playbook;

import io.pebbletemplates.pebble.error.ParserException;
import io.pebbletemplates.pebble.extension.AbstractExtension;
import io.pebbletemplates.pebble.lexer.Token;
import io.pebbletemplates.pebble.node.RenderableNode;
import io.pebbletemplates.pebble.parser.Parser;
import io.pebbletemplates.pebble.tokenParser.TokenParser;
import java.util.List;

/**
 * Replaces the tags that reach other templates ({@code include}, {@code import}, {@code from},
 * {@code extends}, {@code embed}) or define template code ({@code macro}) with one that refuses them when
 * the template is compiled, so a playbook using one fails validation, before any host is contacted.
 * {@link NoFileLoader} stays behind it: even a tag that got through would read nothing.
 */
final class RefusedTagsExtension extends AbstractExtension {

    static final List<String> TAGS = List.of("include", "import", "from", "extends", "embed", "macro");

    @Override
    public List<TokenParser> getTokenParsers() {
        return TAGS.stream().<TokenParser>map(Refused::new).toList();
    }

    /** Thrown when a template uses a refused tag; its message needs no "template error" around it. */
    static final class RefusedTagException extends ParserException {
        RefusedTagException(String tag, int line, String file) {
            super(null, "'" + tag + "' is not allowed in a template: " + NoFileLoader.REFUSAL, line, file);
        }
    }

    private record Refused(String tag) implements TokenParser {
        @Override
        public String getTag() {
            return tag;
        }

        @Override
        public RenderableNode parse(Token token, Parser parser) {
            throw new RefusedTagException(tag, token.getLineNumber(), parser.getStream().getFilename());
        }
    }
}

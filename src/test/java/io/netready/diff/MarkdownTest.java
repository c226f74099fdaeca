package io.netready.diff;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import java.util.List;

import org.commonmark.node.Code;
import org.commonmark.node.FencedCodeBlock;
import org.commonmark.node.Node;
import org.commonmark.node.Paragraph;
import org.commonmark.parser.Parser;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Whatever a value holds, CommonMark reads {@link Markdown#code} back as one code span of exactly that value. */
class MarkdownTest {

    private static final Parser PARSER = Parser.builder().build();

    @ParameterizedTest
    @ValueSource(strings = { "eth0", "`", "``", "```", "a`b", "`x", "x`", "` `", " a ", "  ", " ", "a ``` b `` c",
            "[l](javascript:alert(1))", "![i](https://evil.example/i.png)", "<img src=x>", "&amp; \\` \\", "*a* _b_ # c",
            "| a | b |" })
    void aCodeSpanHoldsTheValueVerbatim(String value) {
        Node paragraph = PARSER.parse("- " + Markdown.code(value) + " after\n").getFirstChild().getFirstChild().getFirstChild();
        assertInstanceOf(Paragraph.class, paragraph);
        Code code = assertInstanceOf(Code.class, paragraph.getFirstChild(), Markdown.code(value));
        assertEquals(value, code.getLiteral());
    }

    @ParameterizedTest
    @ValueSource(strings = { "a\nb", "a\n\n![i](x)", "\r\n```\n", "\u001b[31mred", "tab\there" })
    void controlCharactersAreShownNotObeyed(String value) {
        Node paragraph = PARSER.parse(Markdown.code(value) + "\n").getFirstChild();
        Code code = assertInstanceOf(Code.class, paragraph.getFirstChild());
        assertEquals(Markdown.visible(value), code.getLiteral());
        assertEquals(paragraph.getFirstChild(), paragraph.getLastChild(), "one node, nothing after it");
    }

    @ParameterizedTest
    @ValueSource(strings = { "```", "````` x", "a\n```\nb" })
    void aFenceIsLongerThanAnyBacktickRunInside(String value) {
        List<String> lines = List.of("- " + Markdown.visible(value), "+ ok");
        String fence = Markdown.fence(lines);
        Node block = PARSER.parse(fence + "diff\n" + String.join("\n", lines) + "\n" + fence + "\nafter\n").getFirstChild();
        FencedCodeBlock code = assertInstanceOf(FencedCodeBlock.class, block);
        assertEquals(String.join("\n", lines) + "\n", code.getLiteral());
        assertInstanceOf(Paragraph.class, block.getNext());
    }
}

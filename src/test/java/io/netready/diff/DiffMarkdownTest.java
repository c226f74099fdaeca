package io.netready.diff;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

import org.commonmark.ext.autolink.AutolinkExtension;
import org.commonmark.node.AbstractVisitor;
import org.commonmark.node.Code;
import org.commonmark.node.FencedCodeBlock;
import org.commonmark.node.HtmlBlock;
import org.commonmark.node.HtmlInline;
import org.commonmark.node.Image;
import org.commonmark.node.Link;
import org.commonmark.node.Node;
import org.commonmark.node.Text;
import org.commonmark.parser.Parser;
import org.commonmark.renderer.html.HtmlRenderer;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.tomakehurst.wiremock.WireMockServer;

import io.netready.support.BrowserSession;
import io.netready.support.Portal;
import io.netready.support.SampleNode;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.oidc.server.OidcWireMock;
import io.quarkus.test.oidc.server.OidcWiremockTestResource;
import io.restassured.RestAssured;

/**
 * The Markdown export of a diff, rendered by a real CommonMark renderer with GFM's bare-URL autolinks (as GitHub and
 * GitLab render a change review): reports whose hostname, interface name, listening process and DNS search domain are
 * Markdown (images, links, javascript: URLs, HTML, backtick runs, line breaks) come out as literal text. The only link
 * is the portal's own permalink.
 */
@QuarkusTest
@QuarkusTestResource(OidcWiremockTestResource.class)
class DiffMarkdownTest {

    /** A valid upload hostname: one line, no control characters. */
    static final String HOSTNAME = "![t](https://evil.example/t.png) [c](javascript:alert(1)) <img src=x onerror=alert(1)>";
    /** An interface name with a line break, a fence and backtick runs, sent by the node in its ip -j JSON. */
    static final String INTERFACE = "``e`\n```\n![i](https://evil.example/i.png)\n\n<b>x</b> [j](javascript:alert(2)) `";
    static final String PROCESS = "![p](https://evil.example/p.png)<script>alert(3)</script>[q](javascript:alert(3))``";
    static final String SEARCH = "[s](https://evil.example/s)https://evil.example/bare";

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Parser PARSER = Parser.builder().extensions(List.of(AutolinkExtension.create())).build();

    @OidcWireMock
    WireMockServer provider;

    @Test
    void reportValuesRenderAsLiteralTextAndTheOnlyLinkIsThePortals() throws Exception {
        String cluster = Portal.createCluster("platform");
        String token = Portal.issueToken(cluster);
        SampleNode node = SampleNode.worker(HOSTNAME, "10.243.1.10");
        long from = upload(token, node.report());
        long to = upload(token, hostile(node.report()));

        BrowserSession admin = BrowserSession.login(provider, "alice", "admin", "team-platform");
        String markdown = admin.given().get("/diff.md?from=" + from + "&to=" + to).then().statusCode(200)
                .extract().asString();

        Node document = PARSER.parse(markdown);
        Found found = new Found();
        document.accept(found);
        String html = HtmlRenderer.builder().build().render(document);

        assertEquals(List.of(), found.images, "no image: " + markdown);
        assertEquals(List.of(), found.html, "no HTML passes through: " + markdown);
        String permalink = "http://localhost:" + RestAssured.port + "/diff?from=" + from + "&to=" + to;
        assertEquals(List.of(permalink), found.links, "only the portal's permalink is a link: " + markdown);
        assertFalse(html.contains("evil.example/t.png\"") || html.contains("href=\"javascript")
                || html.contains("<img") || html.contains("<script") || html.contains("<b>"), html);

        // every value is there, verbatim, in a code span or the diff block; the line breaks shown as ␊
        assertTrue(found.code.stream().anyMatch(c -> c.equals(HOSTNAME)), "the hostname in a code span: " + found.code);
        assertTrue(found.code.stream().anyMatch(c -> c.contains("10250 is in use by " + PROCESS)),
                "required-ports' message in a code span: " + found.code);
        assertTrue(found.code.stream().anyMatch(c -> c.contains("'" + HOSTNAME + "' is not a valid node name")),
                "hostname-valid's message in a code span: " + found.code);
        String visibleInterface = INTERFACE.replace("\n", "␊");
        String block = String.join("\n", found.blocks);
        assertTrue(block.contains("+ " + visibleInterface + " veth up mtu 1500"), "the renamed interface: " + block);
        assertTrue(block.contains("- eth0 veth up mtu 1500"), block);
        assertTrue(block.contains("+ " + visibleInterface + " 10.243.1.10/24"), block);
        assertTrue(block.contains("+ tcp 0.0.0.0:10250 " + PROCESS), "the listener: " + block);
        assertTrue(block.contains("+ search " + SEARCH), "the search domain: " + block);
        assertFalse(found.text.stream().anyMatch(t -> t.contains("evil.example")),
                "no report value is left as plain Markdown text: " + found.text);

        // the fix script of the same report: report values only in comments or single-quoted, and it parses
        String script = admin.given().get("/reports/" + to + "/fix.sh").then().statusCode(200).extract().asString();
        assertTrue(script.contains("# ---- hostname-valid: '" + HOSTNAME + "' is not a valid node name"), script);
        for (String line : script.split("\n")) {
            if (line.contains("evil.example") || line.contains("alert(")) {
                // or the dry run's last line, or the line saying identity changes were skipped, which name the
                // download's file name (letters, digits, '.', '_', '-' only)
                boolean fileName = (line.strip().startsWith("echo 'netready: dry run")
                        || line.strip().startsWith("echo 'netready: the node'\"'\"'s identity was left as it is"))
                        && (line.endsWith(".sh'") || line.endsWith(".sh --change-identity'"))
                        && line.contains("sh fix-" + HOSTNAME.replaceAll("[^A-Za-z0-9._-]", "_") + ".sh");
                assertTrue(line.startsWith("#") || (line.startsWith("run '") && line.endsWith("'")) || fileName, line);
            }
        }
        java.nio.file.Path file = java.nio.file.Files.createTempFile("fix", ".sh");
        java.nio.file.Files.writeString(file, script);
        io.netready.support.Processes.Result parsed = io.netready.support.Processes.run(List.of("dash", "-n", file.toString()));
        assertEquals(0, parsed.exitCode(), parsed.stderr());
    }

    /** The node's second run: eth0 renamed to {@link #INTERFACE}, kubelet's port held by {@link #PROCESS}, a search domain. */
    private static String hostile(String report) throws Exception {
        ObjectNode tree = (ObjectNode) JSON.readTree(report);
        tree.put("reportId", java.util.UUID.randomUUID().toString());
        tree.put("collectedAt", java.time.Instant.parse(tree.get("collectedAt").asText()).plusSeconds(60).toString());
        ObjectNode sections = (ObjectNode) tree.get("sections");
        String quoted = JSON.writeValueAsString(INTERFACE);
        for (String name : List.of("links", "addresses", "routes")) {
            put(sections, name, output(sections, name).replace("\"eth0\"", quoted));
        }
        put(sections, "listeners", "tcp LISTEN 0 4096 0.0.0.0:10250 0.0.0.0:* users:((\"" + PROCESS + "\",pid=1,fd=3))\n");
        put(sections, "resolv-conf", output(sections, "resolv-conf") + "search " + SEARCH + "\n");
        return JSON.writeValueAsString(tree);
    }

    private static String output(ObjectNode sections, String name) {
        return new String(Base64.getDecoder().decode(sections.get(name).get("output").asText()), StandardCharsets.UTF_8);
    }

    private static void put(ObjectNode sections, String name, String output) {
        byte[] bytes = output.getBytes(StandardCharsets.UTF_8);
        ((ObjectNode) sections.get(name)).put("output", Base64.getEncoder().encodeToString(bytes)).put("bytes", bytes.length)
                .put("status", "ok").put("exitCode", 0);
    }

    private static long upload(String token, String body) {
        return Portal.upload(token, body).then().statusCode(201).extract().jsonPath().getLong("id");
    }

    /** What the rendered document holds: links and images by destination, HTML, code and plain text. */
    private static final class Found extends AbstractVisitor {
        final List<String> links = new ArrayList<>();
        final List<String> images = new ArrayList<>();
        final List<String> html = new ArrayList<>();
        final List<String> code = new ArrayList<>();
        final List<String> blocks = new ArrayList<>();
        final List<String> text = new ArrayList<>();

        @Override
        public void visit(Link link) {
            links.add(link.getDestination());
            visitChildren(link);
        }

        @Override
        public void visit(Image image) {
            images.add(image.getDestination());
            visitChildren(image);
        }

        @Override
        public void visit(HtmlInline inline) {
            html.add(inline.getLiteral());
        }

        @Override
        public void visit(HtmlBlock block) {
            html.add(block.getLiteral());
        }

        @Override
        public void visit(Code span) {
            code.add(span.getLiteral());
        }

        @Override
        public void visit(FencedCodeBlock block) {
            blocks.add(block.getLiteral());
        }

        @Override
        public void visit(Text plain) {
            text.add(plain.getLiteral());
        }
    }
}

package io.netready.web;

import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.not;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.tomakehurst.wiremock.WireMockServer;

import io.netready.support.BrowserSession;
import io.netready.support.Portal;
import io.netready.support.Probe;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.oidc.server.OidcWireMock;
import io.quarkus.test.oidc.server.OidcWiremockTestResource;

/** The pages as a logged-in admin uses them: uploading a report file, reading it back, values from nodes escaped. */
@QuarkusTest
@QuarkusTestResource(OidcWiremockTestResource.class)
class PagesTest {

    private static final String HOSTILE_HOSTNAME = "<img src=x onerror=alert(1)>";

    @OidcWireMock
    WireMockServer provider;

    @Test
    void anAdminUploadsAReportFileAndReadsItWithNodeValuesEscaped() {
        String cluster = Portal.createCluster("platform");
        BrowserSession admin = BrowserSession.login(provider, "alice", "admin", "team-platform");
        ObjectNode report = Probe.hostReportTree();
        report.put("reportId", UUID.randomUUID().toString());
        byte[] hostname = (HOSTILE_HOSTNAME + "\n").getBytes(StandardCharsets.UTF_8);
        ((ObjectNode) report.get("sections").get("hostname"))
                .put("output", Base64.getEncoder().encodeToString(hostname))
                .put("bytes", hostname.length);

        String location = admin.given()
                .multiPart("csrf", admin.csrf("/clusters/" + cluster))
                .multiPart("report", "report.json", report.toString().getBytes(StandardCharsets.UTF_8), "application/json")
                .post("/clusters/" + cluster + "/reports")
                .then().log().ifValidationFails().statusCode(303).extract().header("Location");

        admin.given().get(location).then().statusCode(200)
                .body(containsString("&lt;img src=x onerror=alert(1)&gt;"), not(containsString(HOSTILE_HOSTNAME)))
                .body(containsString("uploaded by alice"));
        admin.given().get("/clusters/" + cluster).then().statusCode(200)
                .body(containsString("&lt;img src=x onerror=alert(1)&gt;"), not(containsString(HOSTILE_HOSTNAME)))
                // the matrix cuts a long name with an ellipsis; its title holds the whole name, escaped
                .body(containsString("class=\"node-link\" href=\"/nodes/"),
                        containsString("title=\"&lt;img src=x onerror=alert(1)&gt;\">&lt;img src=x onerror=alert(1)&gt;</a>"))
                .header("Content-Security-Policy", containsString("script-src 'self'"))
                .header("X-Content-Type-Options", "nosniff");
    }

    @Test
    void theReportPageShowsFindingsAndTheRulesPageExplainsThem() {
        String cluster = Portal.createCluster("platform");
        String token = Portal.issueToken(cluster);
        ObjectNode report = Probe.hostReportTree();
        report.put("reportId", UUID.randomUUID().toString());
        long id = Portal.upload(token, report.toString()).then().statusCode(201).extract().jsonPath().getLong("id");
        BrowserSession viewer = BrowserSession.login(provider, "sam", "viewer", "team-platform");
        viewer.given().get("/reports/" + id).then().statusCode(200)
                .body(containsString("<h2>Findings</h2>"), containsString("href=\"/rules#ip-forward\""),
                        containsString("unique-hostname"));
        String rules = viewer.given().get("/rules").then().statusCode(200).extract().asString();
        for (String rule : List.of("interface-up", "default-route", "ip-forward", "bridge-netfilter", "kernel-modules",
                "hostname-valid", "required-ports", "nodeport-range", "firewall-ports", "iptables-mode", "dns-resolver",
                "cni-config", "swap-off", "rp-filter", "conntrack-capacity", "unique-hostname", "unique-mac",
                "unique-product-uuid", "unique-machine-id", "unique-node-ip", "cidr-overlap", "pod-cidr-routes",
                "mtu-consistent")) {
            org.junit.jupiter.api.Assertions.assertTrue(rules.contains("id=\"" + rule + "\""), rule + " is on the rules page");
        }
    }

    @Test
    void aBrokenReportFileIsRefusedWithAPage() {
        String cluster = Portal.createCluster("platform");
        BrowserSession admin = BrowserSession.login(provider, "alice", "admin", "team-platform");
        admin.given()
                .multiPart("csrf", admin.csrf("/clusters/" + cluster))
                .multiPart("report", "report.json", "{\"format\":".getBytes(StandardCharsets.UTF_8), "application/json")
                .post("/clusters/" + cluster + "/reports")
                .then().statusCode(400).contentType(containsString("text/html"))
                .body(containsString("its JSON is damaged or cut off"))
                .body(containsString("href=\"/clusters/" + cluster + "\""));
    }
}

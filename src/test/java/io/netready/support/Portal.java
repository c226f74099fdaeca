package io.netready.support;

import static io.restassured.RestAssured.given;

import java.util.Map;
import java.util.UUID;

import io.restassured.http.ContentType;

/** Sets up clusters and upload tokens through the portal's own API, as an admin script would. */
public final class Portal {

    private Portal() {
    }

    /** A fresh cluster name, so tests sharing one database never collide. */
    public static String uniqueName(String prefix) {
        return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    public static String createCluster(String team) {
        String name = uniqueName("c");
        given().auth().oauth2(Users.admin()).contentType(ContentType.JSON)
                .body(Map.of("name", name, "team", team, "podCidr", "10.244.0.0/16", "serviceCidr", "10.96.0.0/12"))
                .post("/api/v1/clusters")
                .then().statusCode(201);
        return name;
    }

    /** Issues an upload token for the cluster and returns the secret. */
    public static String issueToken(String cluster) {
        return given().auth().oauth2(Users.admin()).contentType(ContentType.JSON)
                .body(Map.of("name", uniqueName("t")))
                .post("/api/v1/clusters/" + cluster + "/tokens")
                .then().statusCode(201)
                .extract().path("secret");
    }

    public static io.restassured.response.Response upload(String token, String body) {
        return given().header("Authorization", "Bearer " + token).contentType(ContentType.JSON).body(body)
                .post("/api/v1/reports");
    }
}

package io.netready.config;

import java.util.Optional;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** Settings of netready itself, under {@code netready.*}. */
@ConfigMapping(prefix = "netready")
public interface NetreadyConfig {

    /**
     * The address nodes and browsers use to reach the portal ({@code NETREADY_PUBLIC_URL}): probe commands and links
     * are built from it, never from a request. Required in production; {@value #AUTO_PUBLIC_URL} (dev mode and tests)
     * is {@code http://localhost:<port>}.
     */
    String publicUrl();

    /** The public URL of dev mode and tests: {@code http://localhost:<port>}. */
    String AUTO_PUBLIC_URL = "auto";

    /** A node with no report for this long counts as stale. */
    @WithDefault("PT24H")
    java.time.Duration staleAfter();

    Upload upload();

    Security security();

    Bootstrap bootstrap();

    Retention retention();

    Plan plan();

    Log log();

    interface Log {
        /** Full stack traces in the log instead of one-line summaries (read by io.netready.logging.LogLineFilter). */
        @WithDefault("false")
        boolean stackTraces();
    }

    interface Upload {
        /** Largest accepted report in bytes, measured after gzip decompression. */
        @WithDefault("33554432")
        int maxBytes();

        /** Uploads a second one upload token may make on average (a cluster's nodes usually share one token). */
        @WithDefault("200")
        double ratePerToken();

        /** Uploads one upload token may make at once, above its average rate. */
        @WithDefault("2000")
        double burstPerToken();
    }

    interface Security {
        /** The token claim that lists a user's teams (and, with the dev and test providers, roles too). */
        @WithDefault("groups")
        String teamClaim();

        /** Only claim values starting with this prefix are teams; the prefix is not part of the team name. */
        Optional<String> teamPrefix();
    }

    Session session();

    /** Signed-in browser sessions, kept in the database (table web_session); the cookie holds only a handle. */
    interface Session {
        /** A session unused for this long ends (ISO-8601). */
        @WithDefault("PT1H")
        java.time.Duration idleTimeout();

        /** A session ends this long after its sign-in, however busy (ISO-8601). */
        @WithDefault("PT12H")
        java.time.Duration maxLength();

        /** How often ended sessions' rows are deleted (a session past its bounds is refused at once either way). */
        @WithDefault("PT5M")
        java.time.Duration cleanupInterval();
    }

    /** A cluster and upload token created at start when missing, for automation and first start. */
    interface Bootstrap {
        /** Name of the cluster to create ({@code NETREADY_BOOTSTRAP_CLUSTER}). */
        Optional<String> cluster();

        /** Upload token to register for it ({@code NETREADY_BOOTSTRAP_TOKEN}); at least 24 characters. */
        Optional<String> token();

        /** Team that owns the bootstrap cluster ({@code NETREADY_BOOTSTRAP_TEAM}). */
        @WithDefault("default")
        String team();
    }

    /** The reachability plans that tell each node which peers to try to connect to. */
    interface Plan {
        /** Workers a node tries per run (control planes are always tried); successive runs rotate through all. */
        @WithDefault("16")
        int workersPerRun();

        /** How long the probe waits for each connection before it counts as timed out (the probe caps it at 1 s). */
        @WithDefault("PT1S")
        java.time.Duration connectTimeout();
    }

    /** How long reports are kept. Each node's latest report is always kept; the audit log is never deleted. */
    interface Retention {
        /** Reports received longer ago than this are deleted (ISO-8601, e.g. {@code P90D}); empty keeps every report. */
        Optional<java.time.Duration> keepReportsFor();

        /** How often the retention job runs. */
        @WithDefault("PT1H")
        java.time.Duration interval();

        /** Reports deleted per transaction, so a large first run never holds locks for long. */
        @WithDefault("500")
        int batchSize();
    }
}

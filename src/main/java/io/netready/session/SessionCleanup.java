package io.netready.session;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

import org.jboss.logging.Logger;

import io.netready.config.NetreadyConfig;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.scheduler.Scheduled;

/** Deletes ended sessions' rows now and then: a session past its bounds is refused when met, this removes the rest. */
@ApplicationScoped
public class SessionCleanup {

    private static final Logger LOG = Logger.getLogger(SessionCleanup.class);

    @Inject
    SessionStore sessions;

    @Inject
    NetreadyConfig config;

    void check(@Observes StartupEvent start) {
        if (config.session().idleTimeout().isNegative() || config.session().idleTimeout().isZero()
                || config.session().maxLength().isNegative() || config.session().maxLength().isZero()) {
            throw new IllegalArgumentException("netready.session.idle-timeout and netready.session.max-length must be "
                    + "longer than zero");
        }
        LOG.infof("Sessions end after %s without a request and %s after sign-in", config.session().idleTimeout(),
                config.session().maxLength());
    }

    @Scheduled(identity = "session-cleanup", every = "${netready.session.cleanup-interval:PT5M}",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void scheduled() {
        try {
            long deleted = sessions.deleteEnded();
            if (deleted > 0) {
                LOG.debugf("Deleted %d ended sessions", deleted);
            }
        } catch (RuntimeException e) {
            // the database may be down; the next run tries again, and ended sessions are refused meanwhile
            LOG.debugf("Deleting ended sessions failed: %s", e.getMessage());
        }
    }
}

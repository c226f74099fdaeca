package io.netready.token;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;

import org.jboss.logging.Logger;

import io.netready.cluster.Cluster;
import io.netready.cluster.ClusterService;
import io.netready.config.NetreadyConfig;
import io.netready.token.UploadTokenService;
import io.quarkus.runtime.StartupEvent;

/**
 * Creates the cluster and upload token named by {@code NETREADY_BOOTSTRAP_CLUSTER} and {@code NETREADY_BOOTSTRAP_TOKEN}
 * at start, when missing, so automation can upload without clicking through the portal first.
 */
@ApplicationScoped
public class Bootstrap {

    private static final Logger LOG = Logger.getLogger(Bootstrap.class);
    static final String ACTOR = "bootstrap";

    @Inject
    NetreadyConfig config;

    @Inject
    ClusterService clusters;

    @Inject
    UploadTokenService tokens;

    @Transactional
    void onStart(@Observes StartupEvent event) {
        NetreadyConfig.Bootstrap bootstrap = config.bootstrap();
        if (bootstrap.cluster().isEmpty()) {
            return;
        }
        String name = bootstrap.cluster().get().strip();
        Cluster cluster = Cluster.findByName(name).orElseGet(() -> {
            LOG.infof("Bootstrap: creating cluster '%s' for team '%s'", name, bootstrap.team());
            return clusters.create(new ClusterService.NewCluster(name, bootstrap.team(), null, null), ACTOR);
        });
        bootstrap.token().filter(token -> !token.isBlank()).ifPresent(token -> {
            if (tokens.isRegistered(token)) {
                return;
            }
            LOG.infof("Bootstrap: registering the upload token for cluster '%s'", name);
            tokens.register(cluster, uniqueName(cluster), token, ACTOR);
        });
    }

    private static String uniqueName(Cluster cluster) {
        String name = ACTOR;
        for (int i = 2; io.netready.token.UploadToken.count("clusterId = ?1 and name = ?2", cluster.id, name) > 0; i++) {
            name = ACTOR + "-" + i;
        }
        return name;
    }
}

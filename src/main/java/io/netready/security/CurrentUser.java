package io.netready.security;

import java.util.Collection;
import java.util.Set;
import java.util.TreeSet;

import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;

import org.eclipse.microprofile.jwt.JsonWebToken;

import io.netready.api.ProblemException;
import io.netready.config.NetreadyConfig;
import io.quarkus.security.identity.SecurityIdentity;

/** Who is asking: their name, their role and the teams whose clusters they may see. */
@RequestScoped
public class CurrentUser {

    @Inject
    SecurityIdentity identity;

    @Inject
    NetreadyConfig config;

    private Set<String> teams;

    public String name() {
        if (identity.getPrincipal() instanceof JsonWebToken jwt) {
            String preferred = jwt.getClaim("preferred_username");
            if (preferred != null && !preferred.isBlank()) {
                return preferred;
            }
        }
        return identity.getPrincipal().getName();
    }

    /** The user's roles, as the token gives them. */
    public Set<String> roles() {
        return identity.getRoles();
    }

    public boolean isAdmin() {
        return identity.hasRole(Roles.ADMIN);
    }

    public boolean isViewer() {
        return identity.hasRole(Roles.VIEWER);
    }

    /** The user's teams: values of the team claim that carry the configured prefix, without it. */
    public Set<String> teams() {
        if (teams == null) {
            teams = readTeams();
        }
        return teams;
    }

    /** Admins see every cluster; viewers see their teams' clusters. */
    public boolean canSee(String team) {
        return isAdmin() || (isViewer() && teams().contains(team));
    }

    /** Refuses users that have neither netready role. */
    public void requireMember() {
        if (!isAdmin() && !isViewer()) {
            throw ProblemException.forbidden("Your account has neither the 'admin' nor the 'viewer' role of netready.");
        }
    }

    public void requireAdmin() {
        if (!isAdmin()) {
            throw ProblemException.forbidden("Only netready admins may do this.");
        }
    }

    private Set<String> readTeams() {
        Set<String> result = new TreeSet<>();
        if (!(identity.getPrincipal() instanceof JsonWebToken jwt)) {
            return result;
        }
        Object claim = jwt.getClaim(config.security().teamClaim());
        String prefix = config.security().teamPrefix().orElse("");
        if (claim instanceof Collection<?> values) {
            for (Object value : values) {
                addTeam(result, String.valueOf(value).replace("\"", ""), prefix);
            }
        } else if (claim != null) {
            addTeam(result, String.valueOf(claim).replace("\"", ""), prefix);
        }
        return result;
    }

    private static void addTeam(Set<String> teams, String value, String prefix) {
        // Keycloak writes group paths ("/platform") when full paths are on.
        String name = value.startsWith("/") ? value.substring(1) : value;
        if (name.startsWith(prefix) && name.length() > prefix.length()) {
            teams.add(name.substring(prefix.length()));
        }
    }
}

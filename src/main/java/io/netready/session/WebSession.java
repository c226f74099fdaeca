package io.netready.session;

import java.time.Instant;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;

/** A signed-in browser session: the sign-in provider's tokens, found by the hash of the handle in the cookie. */
@Entity
@Table(name = "web_session")
public class WebSession extends PanacheEntityBase {

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    public Long id;

    @Column(name = "handle_hash", nullable = false, updatable = false)
    public String handleHash;

    @Column(name = "user_name", nullable = false)
    public String userName;

    @Column(name = "id_token", nullable = false)
    public String idToken;

    @Column(name = "access_token")
    public String accessToken;

    @Column(name = "refresh_token")
    public String refreshToken;

    @Column(name = "started_at", nullable = false, updatable = false)
    public Instant startedAt;

    @Column(name = "last_seen", nullable = false)
    public Instant lastSeen;

    @Column
    public String address;

    public static WebSession findByHandleHash(String hash) {
        return find("handleHash", hash).firstResult();
    }
}

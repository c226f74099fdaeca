package io.netready.audit;

import java.time.Instant;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;

/** One entry of the append-only audit trail: who did what, when, to which cluster, from where. */
@Entity
@Table(name = "audit_event")
public class AuditEvent extends PanacheEntityBase {

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    public Long id;

    @Column(nullable = false, insertable = false, updatable = false)
    public Instant at;

    @Column(nullable = false, updatable = false)
    public String actor;

    @Column(nullable = false, updatable = false)
    public String action;

    @Column(name = "cluster_id", updatable = false)
    public Long clusterId;

    @Column(name = "cluster_name", updatable = false)
    public String clusterName;

    @Column(updatable = false)
    public String target;

    @Column(updatable = false)
    public String detail;

    @Column(updatable = false)
    public String address;
}

package io.netready.report;

import java.nio.charset.StandardCharsets;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;

/** The raw result of one section of a report, stored once per distinct content (keyed by its SHA-256). */
@Entity
@Table(name = "section_content")
public class SectionContent extends PanacheEntityBase {

    @Id
    public byte[] hash;

    @Column(nullable = false)
    public String source;

    @Column(nullable = false)
    public String status;

    @Column(name = "exit_code", nullable = false)
    public int exitCode;

    @Column(nullable = false)
    public byte[] output;

    @Column(nullable = false)
    public byte[] stderr;

    @Column(nullable = false)
    public long bytes;

    @Column(nullable = false)
    public boolean truncated;

    /** The output as text; bytes that are not UTF-8 show as U+FFFD. */
    public String outputText() {
        return new String(output, StandardCharsets.UTF_8);
    }

    public String stderrText() {
        return new String(stderr, StandardCharsets.UTF_8);
    }
}

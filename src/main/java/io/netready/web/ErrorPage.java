package io.netready.web;

import jakarta.enterprise.context.ApplicationScoped;

import io.netready.api.Problem;
import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;

/** The HTML face of an error outside /api. */
@ApplicationScoped
public class ErrorPage {

    @CheckedTemplate
    static class Templates {
        static native TemplateInstance error(Problem problem);
    }

    public String render(Problem problem) {
        return Templates.error(problem).render();
    }
}

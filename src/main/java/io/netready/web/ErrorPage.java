package io.netready.web;

import jakarta.enterprise.context.ApplicationScoped;

import io.netready.api.Problem;
import io.netready.api.ProblemException;
import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;

/** The HTML face of an error outside /api. */
@ApplicationScoped
public class ErrorPage {

    @CheckedTemplate
    static class Templates {
        static native TemplateInstance error(Problem problem, ProblemException.Link back);
    }

    public String render(Problem problem) {
        return render(problem, null);
    }

    /** With a link back to where the user came from (null: the clusters). */
    public String render(Problem problem, ProblemException.Link back) {
        return Templates.error(problem, back).render();
    }
}

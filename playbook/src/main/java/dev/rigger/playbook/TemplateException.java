package dev.rigger.playbook;

/**
 * A template that cannot be rendered: an unknown variable or attribute, a syntax error, a failing filter.
 * The message quotes the template text; callers prefix it with the task pointer and host.
 */
public class TemplateException extends RuntimeException {

    private final String template;
    private final String variable;

    public TemplateException(String template, String variable, String message, Throwable cause) {
        super(message, cause);
        this.template = template;
        this.variable = variable;
    }

    /** The template text as written in the playbook. */
    public String template() {
        return template;
    }

    /** The unknown variable or attribute, or null when the problem is of another kind. */
    public String variable() {
        return variable;
    }
}

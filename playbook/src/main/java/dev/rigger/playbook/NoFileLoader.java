package dev.rigger.playbook;

import io.pebbletemplates.pebble.error.LoaderException;
import io.pebbletemplates.pebble.loader.Loader;
import java.io.Reader;

/**
 * The template engine's loader: it loads nothing. Templates come from playbooks and vars as strings, so a
 * template that names another one ({@code include}, {@code extends}, {@code import}, ...) would otherwise
 * read that name from the controller's disk or classpath, with the controller's rights.
 */
final class NoFileLoader implements Loader<String> {

    static final String REFUSAL = "templates read no file";

    @Override
    public Reader getReader(String name) {
        throw new LoaderException(null, REFUSAL + " ('" + Templates.shorten(name) + "' was not read)");
    }

    @Override
    public void setCharset(String charset) {
    }

    @Override
    public void setPrefix(String prefix) {
    }

    @Override
    public void setSuffix(String suffix) {
    }

    @Override
    public String resolveRelativePath(String relativePath, String anchorPath) {
        return null;
    }

    @Override
    public String createCacheKey(String templateName) {
        return templateName;
    }

    @Override
    public boolean resourceExists(String templateName) {
        return false;
    }
}

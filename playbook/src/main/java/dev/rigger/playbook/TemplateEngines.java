package dev.rigger.playbook;

import io.pebbletemplates.pebble.PebbleEngine;
import io.pebbletemplates.pebble.extension.core.DisallowExtensionCustomizerBuilder;
import java.util.List;

/**
 * The one way this module builds a template engine: whatever else an engine adds, it reads no file. Its
 * loader loads nothing ({@link NoFileLoader}), the tags that name other templates are refused when a
 * template is compiled ({@link RefusedTagsExtension}), and {@code i18n}, which reads resource bundles
 * from the classpath, does not exist.
 */
final class TemplateEngines {

    private TemplateEngines() {
    }

    static PebbleEngine.Builder builder() {
        return new PebbleEngine.Builder()
                .loader(new NoFileLoader())
                .registerExtensionCustomizer(new DisallowExtensionCustomizerBuilder()
                        .disallowedFunctionKeys(List.of("i18n"))
                        .build())
                .extension(new RefusedTagsExtension())
                .strictVariables(true)
                .autoEscaping(false);
    }
}

package dev.rigger.ecssim.api;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.rigger.ecssim.state.StateStore;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code GET /license} and {@code POST /license} (JSON {@code {"license_text"}} as python-ecsclient sends
 * it, or the seed's XML {@code <license><license_text><![CDATA[...]]></license_text></license>}).
 * A POST answers 200 with no body and replaces the stored text, so re-posting is harmless. The
 * features listed by GET are derived from the text's FlexLM {@code INCREMENT} lines [inferred].
 */
public final class LicenseResource {
    private static final Pattern XML_TEXT = Pattern.compile(
            "<license_text>\\s*(?:<!\\[CDATA\\[(.*?)]]>|([^<]*))\\s*</license_text>", Pattern.DOTALL);

    private final StateStore store;

    public LicenseResource(StateStore store) {
        this.store = store;
    }

    public void register(ApiRouter router) {
        router.add("GET", "/license", request -> ApiResponse.ok(render(store.read(s -> s.licenseText))));
        router.add("POST", "/license", this::post);
    }

    private ApiResponse post(ApiRequest request) {
        String text = request.bodyText().trim().startsWith("<") ? fromXml(request.bodyText())
                : ApiRequest.requiredText(request.json(), "license_text");
        if (text == null || text.isBlank()) {
            throw ApiError.missing("license_text");
        }
        store.mutate(state -> state.licenseText = text);
        return ApiResponse.empty(200);
    }

    private static String fromXml(String xml) {
        Matcher matcher = XML_TEXT.matcher(xml);
        if (!matcher.find()) {
            throw ApiError.badBody("expected <license><license_text>...</license_text></license>");
        }
        return matcher.group(1) != null ? matcher.group(1) : matcher.group(2);
    }

    private static ObjectNode render(String text) {
        ArrayNode features = Json.array();
        if (text != null) {
            for (String line : text.split("\\R")) {
                String[] words = line.trim().split("\\s+");
                if (words.length >= 5 && words[0].equals("INCREMENT")) {
                    features.add(Json.object()
                            .put("product", words[1])
                            .put("version", words[3])
                            .put("model", "Community Edition")
                            .put("licensed_ind", true)
                            .put("trial_license_ind", false)
                            .put("storage_capacity", "Unlimited")
                            .put("notice", "ACTIVATED TO ECS Community Edition")
                            .put("serial", "")
                            .put("expired_ind", false)
                            .put("issued_date", "")
                            .put("license_id_indicator", "U")
                            .put("issuer", words[2])
                            .put("site_id", "UNKNOWN"));
                }
            }
        }
        ObjectNode body = Json.object();
        body.set("license_feature", features);
        body.put("license_text", text == null ? "" : text);
        return body;
    }
}

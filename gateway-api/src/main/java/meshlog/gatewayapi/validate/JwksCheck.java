package meshlog.gatewayapi.validate;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Checks an inline JSON Web Key Set ({@code RequestAuthentication.jwtRules[].jwks}) as Istio does with its JWK
 * parser: a JSON object that is either a set ({@code {"keys": [...]}}) or a single key, every key of a known type
 * ({@code kty}) with its public members. It also names the keys that carry private material: a JWKS for token
 * verification needs public keys only, and a private key in git is a leaked key.
 */
final class JwksCheck {

    /** @param problem why the text is not a usable JWK set, or null; @param privateKeys one line per key */
    record Result(String problem, List<String> privateKeys) {
    }

    private static final JsonFactory JSON = new JsonFactory();
    private static final Object NOT_A_STRING = new Object();
    private static final Map<String, List<String>> REQUIRED = Map.of(
            "RSA", List.of("n", "e"), "EC", List.of("crv", "x", "y"), "oct", List.of("k"), "OKP", List.of("crv", "x"));
    private static final Map<String, List<String>> PRIVATE = Map.of(
            "RSA", List.of("d", "p", "q", "dp", "dq", "qi", "oth"), "EC", List.of("d"), "oct", List.of("k"),
            "OKP", List.of("d"));

    private JwksCheck() {
    }

    static Result check(String jwks) {
        Object root;
        try (JsonParser p = JSON.createParser(jwks)) {
            JsonToken first = p.nextToken();
            if (first == null) {
                return new Result("jwks parse error: empty document", List.of());
            }
            root = read(p, first);
            if (p.nextToken() != null) {
                return new Result("jwks parse error: unexpected content after the JSON object", List.of());
            }
        } catch (JsonProcessingException e) {
            return new Result("jwks parse error: " + e.getOriginalMessage(), List.of());
        } catch (IOException e) {
            throw new IllegalStateException("reading from a string cannot fail", e);
        }
        if (!(root instanceof Map<?, ?> object)) {
            return new Result("jwks parse error: expected a JSON object (a JWK set or one JWK)", List.of());
        }
        List<String> privateKeys = new ArrayList<>();
        if (!object.containsKey("keys")) {
            String problem = key(object, "the key", privateKeys);
            return new Result(problem == null ? null : "jwks parse error: " + problem, privateKeys);
        }
        if (!(object.get("keys") instanceof List<?> keys)) {
            return new Result("jwks parse error: \"keys\" must be an array", List.of());
        }
        for (int i = 0; i < keys.size(); i++) {
            String name = "keys[" + i + "]";
            if (!(keys.get(i) instanceof Map<?, ?> key)) {
                return new Result("jwks parse error: " + name + " must be an object", List.of());
            }
            String problem = key(key, name, privateKeys);
            if (problem != null) {
                return new Result("jwks parse error: " + problem, privateKeys);
            }
        }
        return new Result(null, privateKeys);
    }

    /** Checks one JWK; records its private members in {@code privateKeys}; returns the problem or null. */
    private static String key(Map<?, ?> key, String name, List<String> privateKeys) {
        if (!(key.get("kty") instanceof String kty)) {
            return name + ": \"kty\" (the key type) is required and must be a string";
        }
        if (!REQUIRED.containsKey(kty)) {
            return name + ": unknown key type \"" + kty + "\" (allowed: RSA, EC, oct, OKP)";
        }
        for (String member : REQUIRED.get(kty)) {
            if (!(key.get(member) instanceof String)) {
                return name + ": a " + kty + " key needs the string member \"" + member + "\"";
            }
        }
        List<String> secret = PRIVATE.get(kty).stream().filter(key::containsKey).toList();
        if (!secret.isEmpty()) {
            String kid = key.get("kid") instanceof String s ? " (kid \"" + s + "\")" : "";
            privateKeys.add(name + kid + " has private members " + String.join(", ", secret));
        }
        return null;
    }

    private static Object read(JsonParser p, JsonToken token) throws IOException {
        switch (token) {
            case START_OBJECT -> {
                Map<String, Object> map = new LinkedHashMap<>();
                for (JsonToken t = p.nextToken(); t != JsonToken.END_OBJECT; t = p.nextToken()) {
                    String field = p.currentName();
                    map.put(field, read(p, p.nextToken()));
                }
                return map;
            }
            case START_ARRAY -> {
                List<Object> list = new ArrayList<>();
                for (JsonToken t = p.nextToken(); t != JsonToken.END_ARRAY; t = p.nextToken()) {
                    list.add(read(p, t));
                }
                return list;
            }
            case VALUE_STRING -> {
                return p.getText();
            }
            default -> {
                return NOT_A_STRING;
            }
        }
    }
}

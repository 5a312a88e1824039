package meshlog.gatewayapi.validate;

/**
 * Envoy's parser of header values with {@code %VARIABLE%} expressions ({@code header_parser.cc}), as Istio's
 * {@code validateHeaderValue} ports it: a state machine over the characters. A variable's arguments are either one
 * bare string up to the first {@code )} ({@code %REQ(x-id)%}) or a JSON array of strings
 * ({@code %REQ(["x-id", "y"])%}), where a {@code )} inside a string still ends the arguments, as in Envoy.
 */
final class HeaderValueParser {

    private enum State {
        LITERAL, VARIABLE_NAME, EXPECT_ARRAY, EXPECT_STRING, STRING, EXPECT_DELIMITER_OR_END, EXPECT_ARGS_END,
        EXPECT_VARIABLE_END
    }

    private HeaderValueParser() {
    }

    /** Null when Envoy accepts {@code value}, otherwise what is wrong, to follow "the header value ...". */
    static String problem(String value) {
        State state = State.LITERAL;
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            boolean space = c == ' ';
            switch (state) {
                case LITERAL -> {
                    if (c == '%' && i + 1 >= value.length()) {
                        return "ends with a single %; write %% for a literal %";
                    } else if (c == '%' && value.charAt(i + 1) == '%') {
                        i++;
                    } else if (c == '%') {
                        state = State.VARIABLE_NAME;
                    }
                }
                case VARIABLE_NAME -> state = c == '%' ? State.LITERAL : c == '(' ? State.EXPECT_ARRAY : state;
                case EXPECT_ARRAY -> state = c == '[' ? State.EXPECT_STRING : space ? state : State.STRING;
                case EXPECT_STRING -> {
                    if (c == '"') {
                        state = State.STRING;
                    } else if (!space) {
                        return "has '" + c + "' where an argument array expects a \"string\"";
                    }
                }
                case STRING -> {
                    if (c == '\\' && i + 1 >= value.length()) {
                        return "ends inside an argument with an unfinished \\ escape";
                    } else if (c == '\\') {
                        i++;
                    } else if (c == ')') {
                        state = State.EXPECT_VARIABLE_END;
                    } else if (c == '"') {
                        state = State.EXPECT_DELIMITER_OR_END;
                    }
                }
                case EXPECT_DELIMITER_OR_END -> {
                    if (c == ',' || c == ']') {
                        state = c == ',' ? State.EXPECT_STRING : State.EXPECT_ARGS_END;
                    } else if (!space) {
                        return "has '" + c + "' where an argument array expects ',' or ']'";
                    }
                }
                case EXPECT_ARGS_END -> {
                    if (c == ')') {
                        state = State.EXPECT_VARIABLE_END;
                    } else if (!space) {
                        return "has '" + c + "' where ')' should close the arguments";
                    }
                }
                case EXPECT_VARIABLE_END -> {
                    if (c == '%') {
                        state = State.LITERAL;
                    } else if (!space) {
                        return "has '" + c + "' where '%' should close the variable after its arguments";
                    }
                }
                default -> throw new IllegalStateException(state.name());
            }
        }
        return state == State.LITERAL ? null
                : "has a % that opens no complete %VARIABLE%; write %% for a literal %";
    }
}

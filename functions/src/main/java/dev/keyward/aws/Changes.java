package dev.keyward.aws;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/** One UpdateExpression's SET and REMOVE clauses, with their names and values. */
final class Changes {
    final List<String> sets = new ArrayList<>();
    final List<String> removes = new ArrayList<>();
    final Map<String, String> names = new HashMap<>();
    final Map<String, AttributeValue> values = new HashMap<>();

    Changes set(String name, String attribute, AttributeValue value) {
        names.put(name, attribute);
        String placeholder = ":" + name.substring(1);
        values.put(placeholder, value);
        sets.add(name + " = " + placeholder);
        return this;
    }

    Changes remove(String name, String attribute) {
        names.put(name, attribute);
        removes.add(name);
        return this;
    }

    String expression() {
        String expression = sets.isEmpty() ? "" : "SET " + String.join(", ", sets);
        if (!removes.isEmpty()) {
            expression += (expression.isEmpty() ? "" : " ") + "REMOVE " + String.join(", ", removes);
        }
        return expression;
    }
}

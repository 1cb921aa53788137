package io.tally.engine.source;

import java.util.Set;

/**
 * What a target table lets the repair write: columns the database computes itself (generated columns, never
 * written), and whether an identity column refuses explicit values unless the insert overrides it
 * (PostgreSQL {@code GENERATED ALWAYS AS IDENTITY}).
 */
public record WriteShape(Set<String> generated, boolean identityAlways) {

    public WriteShape {
        generated = Set.copyOf(generated);
    }
}

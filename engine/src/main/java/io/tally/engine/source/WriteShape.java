package io.tally.engine.source;

import java.util.Set;

/**
 * What a target table lets the repair write: columns the database computes itself (generated columns, never
 * written), and the identity columns that refuse explicit values unless the insert overrides them and can
 * never be updated (PostgreSQL {@code GENERATED ALWAYS AS IDENTITY}).
 */
public record WriteShape(Set<String> generated, Set<String> identityAlways) {

    public WriteShape {
        generated = Set.copyOf(generated);
        identityAlways = Set.copyOf(identityAlways);
    }
}

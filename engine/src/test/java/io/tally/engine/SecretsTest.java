package io.tally.engine;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

class SecretsTest {

    @Test
    void aPasswordContainingAnotherIsMaskedWhole() {
        Secrets.remember("pw-1");
        Secrets.remember("pw-1-longer");
        assertEquals("user **** and ****", Secrets.mask("user pw-1-longer and pw-1"));
    }

    @Test
    void theUrlEncodedFormIsMaskedToo() {
        Secrets.remember("a b&c");
        assertEquals("uri mongodb://u:****@h", Secrets.mask("uri mongodb://u:a%20b%26c@h"));
    }
}

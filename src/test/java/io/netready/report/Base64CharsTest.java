package io.netready.report;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Base64;
import java.util.Random;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The upload path's base64 decoder agrees with the JDK's on every input, and refuses what the JDK refuses. */
class Base64CharsTest {

    @Test
    void decodesWhatTheJdkEncodes() {
        Random random = new Random(42);
        for (int run = 0; run < 20_000; run++) {
            byte[] data = new byte[random.nextInt(300)];
            random.nextBytes(data);
            String encoded = Base64.getEncoder().encodeToString(data);
            if (random.nextBoolean() && encoded.length() > 8) {
                int cut = random.nextInt(encoded.length());
                encoded = encoded.substring(0, cut) + (random.nextBoolean() ? "\n" : "\r\n") + encoded.substring(cut);
            }
            char[] chars = ("xx" + encoded + "yy").toCharArray();
            assertArrayEquals(data, Base64Chars.decode(chars, 2, encoded.length()), encoded);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = { "***", "QQ=A", "Q", "QQ==QQ==", "QQ=", "é", "QUJD\u0000", "QUJD RA==" })
    void refusesWhatIsNotBase64(String text) {
        assertThrows(IllegalArgumentException.class, () -> Base64Chars.decode(text.toCharArray(), 0, text.length()));
    }
}

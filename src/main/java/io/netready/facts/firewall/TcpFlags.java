package io.netready.facts.firewall;

import java.util.Locale;

/** TCP flag lists as iptables and nft print them: {@code SYN,RST,ACK,FIN}, {@code fin|syn}, {@code ALL}, {@code NONE}. */
final class TcpFlags {

    private TcpFlags() {
    }

    static int parse(String list) {
        int bits = 0;
        for (String flag : list.toLowerCase(Locale.ROOT).split("[,|()\\s]+")) {
            bits |= switch (flag) {
                case "fin" -> 0x01;
                case "syn" -> 0x02;
                case "rst" -> 0x04;
                case "psh" -> 0x08;
                case "ack" -> 0x10;
                case "urg" -> 0x20;
                case "ecn", "ece" -> 0x40;
                case "cwr" -> 0x80;
                case "all" -> 0x3f;
                default -> 0;
            };
        }
        return bits;
    }
}

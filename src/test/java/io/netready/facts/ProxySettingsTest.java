package io.netready.facts;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** Which proxy variables each component runs with, from the probe's proxy-env and proxy-config lines. */
class ProxySettingsTest {

    private static final String CONFIG = String.join("\n",
            "kubelet\t/etc/systemd/system/kubelet.service.d/20-proxy.conf\thttps_proxy=http://lower:3128",
            "kubelet\t/etc/systemd/system/kubelet.service.d/20-proxy.conf\tHTTPS_PROXY=http://upper:3128",
            "kubelet\t/etc/systemd/system/kubelet.service.d/20-proxy.conf\tNO_PROXY=10.0.0.0/8",
            "kubelet\t/etc/systemd/system/kubelet.service.d/30-more.conf\tNO_PROXY=10.0.0.0/8,10.96.0.0/12",
            "systemd\t/etc/systemd/system.conf\tHTTP_PROXY=http://default:3128",
            "systemd\t/etc/systemd/system.conf\tNO_PROXY=",
            "login\t/etc/environment\tno_proxy=localhost") + "\n";

    @Test
    void upperCaseWinsAndALaterFileOverridesAnEarlierOne() {
        ProxySettings.Effective kubelet = ProxySettings.parse("", CONFIG).effective("kubelet");
        assertEquals("http://upper:3128", kubelet.httpsProxy().orElseThrow().value());
        assertEquals("10.0.0.0/8,10.96.0.0/12", kubelet.noProxy().orElseThrow().value());
        assertEquals("http://default:3128", kubelet.httpProxy().orElseThrow().value(), "systemd's DefaultEnvironment");
    }

    @Test
    void shellsDoNotGetSystemdDefaultsAndEmptyValuesCountAsUnset() {
        ProxySettings settings = ProxySettings.parse("https_proxy=http://shell:3128\nNO_PROXY=\n", CONFIG);
        ProxySettings.Effective shell = settings.effective("shell");
        assertTrue(shell.usesProxy());
        assertTrue(shell.noProxy().isEmpty());
        assertFalse(settings.effective("login").usesProxy());
        assertTrue(settings.effective("systemd").noProxy().isEmpty());
        assertFalse(settings.mentions("containerd"));
    }
}

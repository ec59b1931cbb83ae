package dev.rigger.ecssim.tls;

import static org.assertj.core.api.Assertions.assertThat;

import java.security.cert.X509Certificate;
import java.util.List;
import org.junit.jupiter.api.Test;

class SelfSignedCertificateFactoryTest {
    @Test
    void issuesACertificateSignedByItsOwnKeyWithTheNodesNamesAndAddresses() throws Exception {
        SelfSignedCertificateFactory.Issued issued = new SelfSignedCertificateFactory()
                .issue("luna", List.of("localhost", "luna", "127.0.0.1", "10.11.12.1", "10.11.12.1"));
        X509Certificate certificate = issued.certificate();

        certificate.verify(issued.keyPair().getPublic());
        certificate.checkValidity();
        assertThat(certificate.getSubjectX500Principal().getName()).contains("CN=luna");
        assertThat(certificate.getIssuerX500Principal()).isEqualTo(certificate.getSubjectX500Principal());
        assertThat(certificate.getSigAlgName()).isEqualTo("SHA256withRSA");
        assertThat(certificate.getSubjectAlternativeNames())
                .extracting(name -> name.get(0) + "=" + name.get(1))
                .containsExactly("2=localhost", "2=luna", "7=127.0.0.1", "7=10.11.12.1");
    }
}

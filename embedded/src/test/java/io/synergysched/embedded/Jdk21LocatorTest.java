package io.synergysched.embedded;

import io.synergysched.embedded.Jdk21Locator;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class Jdk21LocatorTest {

  @TempDir Path dir;

  @Test
  void shouldReadTheFeatureVersionWhenReleaseFileHasOne() throws IOException {
    assertThat(Jdk21Locator.featureVersion(fakeJdk("jdk-25", "25.0.3"))).isEqualTo(25);
    assertThat(Jdk21Locator.featureVersion(fakeJdk("jdk-21", "21"))).isEqualTo(21);
    assertThat(Jdk21Locator.featureVersion(fakeJdk("jdk-17", "17.0.15"))).isEqualTo(17);
    assertThat(Jdk21Locator.featureVersion(fakeJdk("jdk-8", "1.8.0_402"))).isEqualTo(8);
  }

  @Test
  void shouldNotCountAFolderWhenItIsNotAJdk() throws IOException {
    Path notJdk = Files.createDirectories(dir.resolve("not-a-jdk"));
    Files.writeString(notJdk.resolve("release"), "JAVA_VERSION=\"25\"\n"); // but no bin/java

    assertThat(Jdk21Locator.featureVersion(notJdk)).isEqualTo(-1);
    assertThat(Jdk21Locator.featureVersion(dir.resolve("missing"))).isEqualTo(-1);
  }

  @Test
  void shouldFindAJdk21OrSayWhereItLookedWhenSearching() {
    var searched = new ArrayList<String>();
    var found = Jdk21Locator.find(searched);

    if (found.isPresent()) {
      assertThat(found.get()).isExecutable();
    } else {
      assertThat(searched).contains("/usr/lib/jvm");
    }
  }

  private Path fakeJdk(String name, String version) throws IOException {
    Path home = Files.createDirectories(dir.resolve(name));
    Path java = Files.createDirectories(home.resolve("bin")).resolve("java");
    Files.writeString(java, "#!/bin/sh\n");
    Files.setPosixFilePermissions(java, PosixFilePermissions.fromString("rwxr-xr-x"));
    Files.writeString(home.resolve("release"), "IMPLEMENTOR=\"x\"\nJAVA_VERSION=\"" + version + "\"\n");
    return home;
  }
}

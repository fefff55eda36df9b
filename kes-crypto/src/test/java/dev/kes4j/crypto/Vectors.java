package dev.kes4j.crypto;

import dev.kes4j.api.KeyAlgorithm;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

/** Shared known answers from kes-vectors.md. */
final class Vectors {
  private Vectors() {}

  static final byte[] ZERO_KEY = new byte[32];
  static final byte[] SIXTEEN_ZEROS = new byte[16];
  static final String ZERO_KEY_ID = "66687aadf862bd776c8fc18b8e9f8e20";

  static MasterKey zeroKey(KeyAlgorithm algorithm) {
    return MasterKey.of(algorithm, ZERO_KEY);
  }

  static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  static byte[] b64(String s) {
    return Base64.getDecoder().decode(s);
  }

  static final String M0 =
      "lbFBRVMyNTYtR0NNX1NIQTI1NtkgNjY2ODdhYWRmODYyYmQ3NzZjOGZjMThiOGU5ZjhlMjDEEExv7LAd4oz0SaHZrX5LBufEDEKME1ow1CDfUFrqv8QgJuy7Sw+jVqz99TK1HV851LT3K4mwwDv46TB2ngWkAJQ=";
  static final String M0_HEX =
      "95b14145533235362d47434d5f534841323536d9203636363837616164663836326264373736633866633138623865396638653230c4104c6fecb01de28cf449a1d9ad7e4b06e7c40c428c135a30d420df505aeabfc42026ecbb4b0fa356acfdf532b51d5f39d4b4f72b89b0c03bf8e930769e05a40094";
  static final String M1 =
      "lbJYQ0hBQ0hBMjAtUE9MWTEzMDXZIDY2Njg3YWFkZjg2MmJkNzc2YzhmYzE4YjhlOWY4ZTIwxBBAr+aptD4x2+qfOhiErbnkxAxYs8RmNC1JJXD1hiHEIJ2KqM0jjkME7ndx8nyVseesN83Np0rM5ejVUun+fNFu";
  static final String B0 =
      "zwdDgHeRlIFRnJ7+DIhs/ka7GFK2CFSfDELqg1VCyTQzZ58o7MAdupMLk3ZjlMo2ZUDwldL2o41nAWDc";

  static final String PROTOBUF_VECTOR =
      "CiQKIMiHG7XrN94FuwblJJor4f7f6rbqAl7DwsLaiIoyz0D2EAESJAognLXl4yqa4cjZTcSbsU6sNnN8kP9ARWkXwa20YQZa9HgQARoMCNithK0GEID67qYDIkAzZWNmY2RmMzhmY2JlMTQxYWUyNmExMDMwZjgxZTk2Yjc1MzM2NWE0Njc2MGFlNmI1Nzg2OThhOTdjNTlmZDIy";
  static final String PROTOBUF_ZERO_VECTOR =
      "CiQKIAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAEAESJAogAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAQARoMCNithK0GEID67qYDIkAzZWNmY2RmMzhmY2JlMTQxYWUyNmExMDMwZjgxZTk2Yjc1MzM2NWE0Njc2MGFlNmI1Nzg2OThhOTdjNTlmZDIy";
  static final String PROTOBUF_CREATOR =
      "3ecfcdf38fcbe141ae26a1030f81e96b753365a46760ae6b578698a97c59fd22";
}

#include "tether_test/pki.hpp"

#include <chrono>

#include "certificate_builder.hpp"

namespace tether::test {
namespace {

using namespace std::chrono_literals;

const std::vector<std::string> localhost_names = {"DNS:localhost", "IP:127.0.0.1", "IP:::1"};

struct Authority {
  KeyHandle key;
  CertificateHandle certificate;
};

Authority make_authority(const std::string& name) {
  Authority authority{generate_key(), nullptr};
  CertificateProfile profile;
  profile.common_name = name;
  profile.is_ca = true;
  authority.certificate =
      issue_certificate(profile, authority.key.get(), nullptr, authority.key.get());
  return authority;
}

struct LeafFiles {
  std::filesystem::path certificate;
  std::filesystem::path key;
  KeyHandle key_handle;
};

// Issues a leaf certificate signed by authority and writes it and its key as NAME.pem, NAME.key.
LeafFiles write_leaf(const Authority& authority, const CertificateProfile& profile,
                     const std::filesystem::path& directory, const std::string& name) {
  LeafFiles leaf{directory / (name + ".pem"), directory / (name + ".key"), generate_key()};
  const CertificateHandle certificate = issue_certificate(
      profile, leaf.key_handle.get(), authority.certificate.get(), authority.key.get());
  write_certificate_pem(certificate.get(), leaf.certificate);
  write_private_key_pem(leaf.key_handle.get(), leaf.key);
  return leaf;
}

CertificateProfile server_profile(std::vector<std::string> names) {
  CertificateProfile profile;
  profile.common_name = "tether test server";
  profile.subject_alt_names = std::move(names);
  profile.extended_key_usage = "serverAuth";
  return profile;
}

}  // namespace

Pki Pki::generate(const std::filesystem::path& directory) {
  const auto root = std::filesystem::absolute(directory);
  Pki pki;

  const Authority ca = make_authority("Tether Test Root CA");
  pki.ca_cert = root / "ca.pem";
  write_certificate_pem(ca.certificate.get(), pki.ca_cert);
  pki.ca_spki_sha256 = spki_sha256_base64(ca.key.get());

  const LeafFiles server = write_leaf(ca, server_profile(localhost_names), root, "server");
  pki.server_cert = server.certificate;
  pki.server_key = server.key;
  pki.server_spki_sha256 = spki_sha256_base64(server.key_handle.get());

  const LeafFiles wrong_host =
      write_leaf(ca, server_profile({"DNS:wrong-host.invalid"}), root, "wrong_host");
  pki.wrong_host_cert = wrong_host.certificate;
  pki.wrong_host_key = wrong_host.key;

  CertificateProfile expired_profile = server_profile(localhost_names);
  expired_profile.valid_from = -48h;
  expired_profile.valid_until = -24h;
  const LeafFiles expired = write_leaf(ca, expired_profile, root, "expired");
  pki.expired_cert = expired.certificate;
  pki.expired_key = expired.key;

  CertificateProfile client_profile;
  client_profile.common_name = "tether test client";
  client_profile.extended_key_usage = "clientAuth";
  const LeafFiles client = write_leaf(ca, client_profile, root, "client");
  pki.client_cert = client.certificate;
  pki.client_key = client.key;

  const Authority other_ca = make_authority("Tether Test Unrelated CA");
  pki.other_ca_cert = root / "other_ca.pem";
  write_certificate_pem(other_ca.certificate.get(), pki.other_ca_cert);
  return pki;
}

}  // namespace tether::test

#include "scenario/crypto_ipsec_scenario.h"

#include <charconv>
#include <span>
#include <string>

#include "scenario/scenario_keys.h"

namespace irqlab::cosim {

namespace {

unsigned hart_below(const ConfigNode& node, unsigned harts) {
  const auto hart = static_cast<unsigned>(declared_uint(node));
  if (hart >= harts)
    node.fail("must be below platform.harts (" + std::to_string(harts) + "), got " +
              std::to_string(hart));
  return hart;
}

unsigned hart_below_or_default(const ConfigNode& parent, std::string_view key, unsigned harts) {
  return parent.has(key) ? hart_below(parent.at(key), harts)
                         : static_cast<unsigned>(uint_or_default(parent, key));
}

int hex_digit(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// `node`'s string as exactly out.size() bytes written as hex digit pairs, byte 0 first.
void hex_bytes(const ConfigNode& node, std::span<std::uint8_t> out) {
  const std::string text = node.as_string();
  const std::size_t digits = out.size() * 2;
  if (text.size() != digits)
    node.fail("expected " + std::to_string(digits) + " hex digits (" + std::to_string(out.size()) +
              " bytes), got " + std::to_string(text.size()) + " characters");
  for (std::size_t i = 0; i < digits; ++i)
    if (hex_digit(text[i]) < 0)
      node.fail("'" + std::string(1, text[i]) + "' (character " + std::to_string(i + 1) +
                ") is not a hex digit");
  for (std::size_t i = 0; i < out.size(); ++i)
    out[i] = static_cast<std::uint8_t>(hex_digit(text[2 * i]) << 4 | hex_digit(text[2 * i + 1]));
}

// A callback mode by its name (kernel::crypto_callback_mode_name).
kernel::CryptoCallbackMode callback_mode(const ConfigNode& parent) {
  using M = kernel::CryptoCallbackMode;
  const std::string name = string_or_default(parent, "callback");
  for (const M mode : {M::Default, M::Immediate, M::Deferred, M::Thread})
    if (name == kernel::crypto_callback_mode_name(mode)) return mode;
  parent.at("callback").fail("expected default, immediate, deferred or thread, got '" + name + "'");
}

kernel::SecurityAssociation read_sa(const ConfigNode& node) {
  allow_declared_keys(node);
  kernel::SecurityAssociation sa;
  sa.spi = static_cast<std::uint32_t>(declared_uint(node.at("spi")));
  hex_bytes(node.at("key"), sa.key);
  hex_bytes(node.at("salt"), sa.salt);
  return sa;
}

}  // namespace

std::array<std::uint8_t, 4> ipv4_address(const ConfigNode& node) {
  const std::string text = node.as_string();
  std::array<std::uint8_t, 4> address{};
  const char* at = text.data();
  const char* const end = text.data() + text.size();
  for (std::size_t i = 0; i < address.size(); ++i) {
    unsigned value = 256;
    const char* const start = at;
    const auto [next, ec] = std::from_chars(at, end, value);
    const bool separator_ok = i + 1 == address.size() ? next == end : next != end && *next == '.';
    if (ec != std::errc() || next == start || next - start > 3 || value > 255 || !separator_ok)
      node.fail("expected an IPv4 address a.b.c.d (each 0..255), got '" + text + "'");
    address[i] = static_cast<std::uint8_t>(value);
    at = next + (i + 1 == address.size() ? 0 : 1);
  }
  return address;
}

kernel::CryptoConfig read_crypto(const ConfigNode& node, unsigned harts) {
  allow_declared_keys(node);
  kernel::CryptoConfig c;
  c.present = true;
  c.priority = static_cast<unsigned>(uint_or_default(node, "priority"));
  if (node.has("cpus"))
    for (const ConfigNode& cpu : node.at("cpus").items()) c.cpus.push_back(hart_below(cpu, harts));
  if (node.has("cpus") && c.cpus.empty())
    node.at("cpus").fail(
        "an empty list enables it on no hart: name at least one, or omit the key for all harts");
  c.ring_entries = static_cast<unsigned>(uint_or_default(node, "ring_entries"));
  if (!kernel::crypto_ring_entries_valid(c.ring_entries))
    node.at("ring_entries").fail("must be a power of 2, got " + std::to_string(c.ring_entries));
  c.coalesce_count = static_cast<unsigned>(uint_or_default(node, "coalesce_count"));
  c.coalesce_timeout = static_cast<unsigned>(uint_or_default(node, "coalesce_timeout"));
  c.max_job_bytes = static_cast<unsigned>(uint_or_default(node, "max_job_bytes"));
  c.callback = callback_mode(node);
  return c;
}

kernel::IpsecConfig read_ipsec(const ConfigNode& node, unsigned harts) {
  allow_declared_keys(node);
  kernel::IpsecConfig p;
  p.present = true;
  p.local_ip = ipv4_address(child_or_default(node, "local_ip"));
  p.udp_port = static_cast<std::uint16_t>(uint_or_default(node, "udp_port"));
  const ConfigNode sa_list = node.at("sa");
  const std::vector<ConfigNode> entries = sa_list.items();
  if (entries.empty()) sa_list.fail("declare at least one SA");
  for (std::size_t i = 0; i < entries.size(); ++i) {
    kernel::SecurityAssociation sa = read_sa(entries[i]);
    for (std::size_t j = 0; j < p.sas.size(); ++j)
      if (p.sas[j].spi == sa.spi)
        entries[i].at("spi").fail("SPI " + std::to_string(sa.spi) +
                                  " is declared twice (also ipsec.sa[" + std::to_string(j) + "])");
    p.sas.push_back(sa);
  }
  p.socket_queue = static_cast<unsigned>(uint_or_default(node, "socket_queue"));
  p.receiver_cpu = hart_below_or_default(node, "receiver_cpu", harts);
  p.busy_user = bool_or_default(node, "busy_user");
  p.busy_cpu = hart_below_or_default(node, "busy_cpu", harts);
  if (node.has("busy_cpu") && !p.busy_user)
    node.at("busy_cpu").fail("only with ipsec.busy_user true");
  if (node.has("rekey")) {
    const ConfigNode rekey = node.at("rekey");
    allow_declared_keys(rekey);
    p.rekey_period = declared_uint(rekey.at("period_cycles"));
    p.rekey_hold = declared_uint(rekey.at("hold_cycles"));
    if (p.rekey_hold >= p.rekey_period)
      rekey.at("hold_cycles")
          .fail("must be below period_cycles (" + std::to_string(p.rekey_period) + ")");
  }
  return p;
}

models::net::EspTrafficSpec read_esp_traffic(const ConfigNode& traffic,
                                             const kernel::IpsecConfig& ipsec,
                                             const kernel::CryptoConfig& crypto) {
  namespace net = models::net;
  net::EspTrafficSpec t;
  for (const kernel::SecurityAssociation& sa : ipsec.sas)
    t.sas.push_back({sa.spi, sa.key, sa.salt});
  t.local_ip = ipsec.local_ip;
  t.udp_port = ipsec.udp_port;
  const ConfigNode esp = child_or_default(traffic, "esp");
  allow_declared_keys(esp);
  t.bad_tag_every = uint_or_default(esp, "bad_tag_every");
  t.malformed_every = uint_or_default(esp, "malformed_every");
  const ConfigNode sizes = child_or_default(esp, "payload_bytes");
  if (sizes.yaml().IsSequence()) {
    const std::vector<ConfigNode> bounds = sizes.items();
    if (bounds.size() != 2)
      sizes.fail("expected n or [min, max], got a list of " + std::to_string(bounds.size()));
    t.payload_bytes = {static_cast<unsigned>(declared_uint(bounds[0])),
                       static_cast<unsigned>(declared_uint(bounds[1]))};
    if (t.payload_bytes.max < t.payload_bytes.min) bounds[1].fail("must be at least min");
  } else {
    const auto n = static_cast<unsigned>(declared_uint(sizes));
    t.payload_bytes = {n, n};
  }
  // The kernel decrypts each packet with one engine job: 64 bytes, then the ciphertext.
  const net::EspPadding widest =
      t.malformed_every != 0 ? net::EspPadding::Zeroed : net::EspPadding::Valid;
  const unsigned job_bytes =
      net::kEspJobPrefixBytes + net::esp_ciphertext_bytes(t.payload_bytes.max, widest);
  if (job_bytes > crypto.max_job_bytes)
    sizes.fail("packets with " + std::to_string(t.payload_bytes.max) +
               " payload bytes need crypto jobs of " + std::to_string(job_bytes) +
               " bytes, above crypto.max_job_bytes (" + std::to_string(crypto.max_job_bytes) + ")");
  return t;
}

}  // namespace irqlab::cosim

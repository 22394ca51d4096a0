#include "net/sadb.h"

#include <algorithm>

#include "kernel.h"

namespace irqlab::kernel {

SaLockModel sa_lock_model(std::string_view personality) {
  if (personality == "bsd43") return SaLockModel::Spl;
  if (personality == "linux") return SaLockModel::Rcu;
  return SaLockModel::RwLock;
}

Sadb::Sadb(Kernel& kernel, const IpsecConfig& config, SaLockModel model)
    : kernel_(kernel), model_(model) {
  if (model_ == SaLockModel::RwLock) lock_ = std::make_unique<RwLock>(kernel, "sadb");
  if (model_ == SaLockModel::Spl) softnet_ = kernel.spl().find("SOFTNET");
  for (const SecurityAssociation& sa : config.sas)
    entries_.push_back({sa.spi, kernel.crypto().new_session(sa.key), sa.salt});
}

std::optional<SaEntry> Sadb::lookup(std::uint32_t spi) {
  const auto find = [&]() -> std::optional<SaEntry> {
    const auto it = std::ranges::find(entries_, spi, &SaEntry::spi);
    if (it == entries_.end()) return std::nullopt;
    return *it;
  };
  switch (model_) {
    case SaLockModel::RwLock: {
      lock_->enter_read();
      std::optional<SaEntry> found = find();
      lock_->exit();
      return found;
    }
    case SaLockModel::Spl: {
      Spl& spl = kernel_.spl();
      const unsigned s = spl.raise(softnet_);
      std::optional<SaEntry> found = find();
      spl.splx(s);
      return found;
    }
    case SaLockModel::Rcu:
      break;
  }
  return find();
}

void Sadb::rekey(Cycle hold) {
  switch (model_) {
    case SaLockModel::RwLock:
      lock_->enter_write();
      kernel_.work(hold);
      lock_->exit();
      return;
    case SaLockModel::Spl: {
      Spl& spl = kernel_.spl();
      const unsigned s = spl.raise(softnet_);
      kernel_.work(hold);
      spl.splx(s);  // a netintr requested meanwhile runs here (B-6)
      return;
    }
    case SaLockModel::Rcu:
      kernel_.work(hold);
      return;
  }
}

}  // namespace irqlab::kernel

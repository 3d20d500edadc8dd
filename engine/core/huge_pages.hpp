// An allocator for large hot arrays (balances, account flags, records): blocks of 2 MiB or more are
// aligned to 2 MiB and advised to use transparent huge pages. Random access over millions of accounts
// is otherwise dominated by TLB misses (measured: settle of 10^6 Boltzmann agents, see bench/).
#pragma once

#include <sys/mman.h>

#include <cstddef>
#include <cstdlib>
#include <new>
#include <vector>

namespace civitas {

template <typename T>
struct huge_page_allocator {
  using value_type = T;
  static constexpr std::size_t huge = std::size_t{2} << 20;

  huge_page_allocator() noexcept = default;
  template <typename U>
  huge_page_allocator(const huge_page_allocator<U>&) noexcept {}

  T* allocate(std::size_t n) {
    const std::size_t bytes = n * sizeof(T);
    if (bytes < huge) {
      if (void* p = std::malloc(bytes)) return static_cast<T*>(p);
      throw std::bad_alloc();
    }
    const std::size_t rounded = (bytes + huge - 1) / huge * huge;
    void* p = std::aligned_alloc(huge, rounded);
    if (p == nullptr) throw std::bad_alloc();
    madvise(p, rounded, MADV_HUGEPAGE);  // a hint: failure only costs speed
    return static_cast<T*>(p);
  }
  void deallocate(T* p, std::size_t) noexcept { std::free(p); }

  template <typename U>
  bool operator==(const huge_page_allocator<U>&) const noexcept {
    return true;
  }
};

template <typename T>
using huge_vector = std::vector<T, huge_page_allocator<T>>;

}  // namespace civitas

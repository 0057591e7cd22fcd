/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Interface between C and the Rust implementation of KVM arm64's FP/SIMD
 * context coordination (arch/arm64/kvm/fp_rust/, CONFIG_KVM_ARM64_FPSIMD_RUST).
 *
 * The Rust side exports the hooks declared in <asm/kvm_host.h>
 * (kvm_arch_vcpu_{run_map,load,ctxflush,ctxsync,put}_fp) and
 * kvm_fp_rust_announce() below; rust/bindings/bindings_helper.h includes
 * this header so that each Rust export is checked against its prototype
 * at build time.
 *
 * The kvm_fp_rust_*() helpers wrap, once, the kernel facilities that are
 * macros or static inlines and so cannot be called from Rust directly.
 * None of them is on the per-exit path: the hooks that run on every guest
 * exit (ctxflush, ctxsync) use only state cached at vcpu load.
 */
#ifndef __ARM64_KVM_FP_RUST_H__
#define __ARM64_KVM_FP_RUST_H__

#include <linux/kvm_host.h>
#include <asm/kvm_mmu.h>

#ifdef CONFIG_KVM_ARM64_FPSIMD_RUST

/* Exported by Rust. */
void kvm_fp_rust_announce(void);

/* C helpers for Rust (arch/arm64/kvm/fp_rust/kvm_fp_helpers.c). */
bool kvm_fp_rust_protected_kvm_enabled(void);
bool kvm_fp_rust_supports_fpsimd(void);
bool kvm_fp_rust_supports_sme(void);
bool kvm_fp_rust_vcpu_has_sve(const struct kvm_vcpu *vcpu);
u64 kvm_fp_rust_read_svcr(void);
typeof(((struct kvm_host_data *)NULL)->fp_owner) *kvm_fp_rust_this_cpu_fp_owner(void);
struct cpu_fp_state *kvm_fp_rust_this_cpu_last_state(void);
unsigned long kvm_fp_rust_local_irq_save(void);
void kvm_fp_rust_local_irq_restore(unsigned long flags);
bool kvm_fp_rust_irqs_disabled(void);
void kvm_fp_rust_warn(const char *msg);
void __noreturn kvm_fp_rust_bug(const char *msg);

/*
 * The SVE register layout of vcpu->arch.sve_state at a few vector lengths,
 * from the UAPI macros, which are function-like and so invisible to
 * bindgen: the Rust layout type (sve_layout.rs) is checked against these
 * at build time.
 */
#define KVM_FP_RUST_SVE_LAYOUT(vq)					\
	KVM_FP_RUST_SVE_Z1_VQ##vq = SVE_SIG_ZREG_OFFSET(vq, 1) -	\
				    SVE_SIG_REGS_OFFSET,		\
	KVM_FP_RUST_SVE_Z31_VQ##vq = SVE_SIG_ZREG_OFFSET(vq, 31) -	\
				     SVE_SIG_REGS_OFFSET,		\
	KVM_FP_RUST_SVE_P0_VQ##vq = SVE_SIG_PREG_OFFSET(vq, 0) -	\
				    SVE_SIG_REGS_OFFSET,		\
	KVM_FP_RUST_SVE_P15_VQ##vq = SVE_SIG_PREG_OFFSET(vq, 15) -	\
				     SVE_SIG_REGS_OFFSET,		\
	KVM_FP_RUST_SVE_FFR_VQ##vq = SVE_SIG_FFR_OFFSET(vq) -		\
				     SVE_SIG_REGS_OFFSET,		\
	KVM_FP_RUST_SVE_SIZE_VQ##vq = SVE_SIG_REGS_SIZE(vq)

enum {
	KVM_FP_RUST_SVE_LAYOUT(1),
	KVM_FP_RUST_SVE_LAYOUT(4),
	KVM_FP_RUST_SVE_LAYOUT(16),
	KVM_FP_RUST_SVE_LAYOUT(512),
};

#endif /* CONFIG_KVM_ARM64_FPSIMD_RUST */

#endif /* __ARM64_KVM_FP_RUST_H__ */

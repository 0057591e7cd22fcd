/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Interface between C and the Rust implementation of KVM arm64's FP/SIMD
 * context coordination (arch/arm64/kvm/fp_rust/, CONFIG_KVM_ARM64_FPSIMD_RUST).
 *
 * The Rust side exports what the C in fpsimd.c and sve.c defines, with
 * the prototypes of <asm/kvm_host.h>: the hooks
 * kvm_arch_vcpu_{load,ctxflush,ctxsync,put}_fp(), the SVE vCPU
 * configuration (kvm_arm_init_sve(), kvm_arm_vcpu_{enable,reset,free}_sve(),
 * kvm_arm_vcpu_finalize(), kvm_arm_vcpu_is_finalized()), the SVE register
 * ABI (kvm_arm_{get,set}_sve_reg(), kvm_arm_num_sve_regs(),
 * kvm_arm_copy_sve_reg_indices()) and the SVE system register views
 * (kvm_arm_sve_sysreg_visibility(), kvm_arm_sve_sanitise_id_aa64pfr0());
 * and kvm_fp_rust_announce() below. rust/bindings/bindings_helper.h
 * includes this header so that each Rust export is checked against its
 * prototype at build time.
 *
 * The kvm_fp_rust_*() helpers wrap, once, the kernel facilities that are
 * macros or static inlines and so cannot be called from Rust directly.
 * The hooks that run on every guest exit (ctxflush, ctxsync) use state
 * cached at vcpu load and call none of them, except: with
 * CONFIG_ARM64_PSEUDO_NMI, ctxsync's check that interrupts are disabled
 * calls kvm_fp_rust_irqs_disabled(); with CONFIG_RUST_DEBUG_ASSERTIONS,
 * both check the cached slots with kvm_fp_rust_this_cpu_fp_owner() and
 * kvm_fp_rust_this_cpu_last_state(); and the first binding of a vCPU
 * calls kvm_fp_rust_vcpu_has_sve(), once per vCPU.
 */
#ifndef __ARM64_KVM_FP_RUST_H__
#define __ARM64_KVM_FP_RUST_H__

#include <linux/kvm_host.h>
#include <asm/kvm_mmu.h>

#ifdef CONFIG_KVM_ARM64_FPSIMD_RUST

/* Exported by Rust. */
void kvm_fp_rust_announce(void);
/*
 * For bindgen, what kvm_arm_sve_sysreg_visibility() needs: the REG_* flags
 * of sys_regs.h (kvm_fp_helpers.c checks them) and the function-like
 * encoding macros.
 */
enum {
	KVM_FP_RUST_REG_HIDDEN = 1 << 0,
	KVM_FP_RUST_REG_RAZ = 1 << 1,
	KVM_FP_RUST_SYS_ZCR_EL1 = SYS_ZCR_EL1,
	KVM_FP_RUST_SYS_ZCR_EL2 = SYS_ZCR_EL2,
	KVM_FP_RUST_SYS_ID_AA64PFR0_EL1 = SYS_ID_AA64PFR0_EL1,
	KVM_FP_RUST_SYS_ID_AA64ZFR0_EL1 = SYS_ID_AA64ZFR0_EL1,
};

/* C helpers for Rust (arch/arm64/kvm/fp_rust/kvm_fp_helpers.c). */
bool kvm_fp_rust_protected_kvm_enabled(void);
bool kvm_fp_rust_supports_fpsimd(void);
bool kvm_fp_rust_supports_sme(void);
bool kvm_fp_rust_supports_sve(void);
unsigned int kvm_fp_rust_sve_max_vl(void);
unsigned int kvm_fp_rust_sve_max_virtualisable_vl(void);
void kvm_fp_rust_set_guest_has_sve(struct kvm_vcpu *vcpu);
void kvm_fp_rust_set_sve_finalized(struct kvm_vcpu *vcpu);
bool kvm_fp_rust_vcpu_has_sve(const struct kvm_vcpu *vcpu);
u64 kvm_fp_rust_read_svcr(void);
typeof(((struct kvm_host_data *)NULL)->fp_owner) *kvm_fp_rust_this_cpu_fp_owner(void);
struct cpu_fp_state *kvm_fp_rust_this_cpu_last_state(void);
unsigned long kvm_fp_rust_local_irq_save(void);
void kvm_fp_rust_local_irq_restore(unsigned long flags);
#ifdef CONFIG_ARM64_PSEUDO_NMI
bool kvm_fp_rust_irqs_disabled(void);
#endif
bool kvm_fp_rust_sve_finalized(const struct kvm_vcpu *vcpu);
void kvm_fp_rust_sve_vq_map(u64 map[KVM_ARM64_SVE_VLS_WORDS]);
unsigned long kvm_fp_rust_clear_user(void __user *to, unsigned long n);
unsigned long kvm_fp_rust_index_nospec(unsigned long index, unsigned long size);
void kvm_fp_rust_warn(const char *msg);
void __noreturn kvm_fp_rust_bug(const char *msg);

/*
 * The SVE register layout of vcpu->arch.sve_state at a few vector lengths,
 * from the UAPI macros, which are function-like and so invisible to
 * bindgen: the Rust layout type (sve_layout.rs) is checked against these
 * at build time.
 */
enum {
	KVM_FP_RUST_SVE_Z1_VQ1 = SVE_SIG_ZREG_OFFSET(1, 1) - SVE_SIG_REGS_OFFSET,
	KVM_FP_RUST_SVE_Z31_VQ1 = SVE_SIG_ZREG_OFFSET(1, 31) - SVE_SIG_REGS_OFFSET,
	KVM_FP_RUST_SVE_P0_VQ1 = SVE_SIG_PREG_OFFSET(1, 0) - SVE_SIG_REGS_OFFSET,
	KVM_FP_RUST_SVE_P15_VQ1 = SVE_SIG_PREG_OFFSET(1, 15) - SVE_SIG_REGS_OFFSET,
	KVM_FP_RUST_SVE_FFR_VQ1 = SVE_SIG_FFR_OFFSET(1) - SVE_SIG_REGS_OFFSET,
	KVM_FP_RUST_SVE_SIZE_VQ1 = SVE_SIG_REGS_SIZE(1),
	KVM_FP_RUST_SVE_Z1_VQ4 = SVE_SIG_ZREG_OFFSET(4, 1) - SVE_SIG_REGS_OFFSET,
	KVM_FP_RUST_SVE_Z31_VQ4 = SVE_SIG_ZREG_OFFSET(4, 31) - SVE_SIG_REGS_OFFSET,
	KVM_FP_RUST_SVE_P0_VQ4 = SVE_SIG_PREG_OFFSET(4, 0) - SVE_SIG_REGS_OFFSET,
	KVM_FP_RUST_SVE_P15_VQ4 = SVE_SIG_PREG_OFFSET(4, 15) - SVE_SIG_REGS_OFFSET,
	KVM_FP_RUST_SVE_FFR_VQ4 = SVE_SIG_FFR_OFFSET(4) - SVE_SIG_REGS_OFFSET,
	KVM_FP_RUST_SVE_SIZE_VQ4 = SVE_SIG_REGS_SIZE(4),
	KVM_FP_RUST_SVE_Z1_VQ16 = SVE_SIG_ZREG_OFFSET(16, 1) - SVE_SIG_REGS_OFFSET,
	KVM_FP_RUST_SVE_Z31_VQ16 = SVE_SIG_ZREG_OFFSET(16, 31) - SVE_SIG_REGS_OFFSET,
	KVM_FP_RUST_SVE_P0_VQ16 = SVE_SIG_PREG_OFFSET(16, 0) - SVE_SIG_REGS_OFFSET,
	KVM_FP_RUST_SVE_P15_VQ16 = SVE_SIG_PREG_OFFSET(16, 15) - SVE_SIG_REGS_OFFSET,
	KVM_FP_RUST_SVE_FFR_VQ16 = SVE_SIG_FFR_OFFSET(16) - SVE_SIG_REGS_OFFSET,
	KVM_FP_RUST_SVE_SIZE_VQ16 = SVE_SIG_REGS_SIZE(16),
	KVM_FP_RUST_SVE_Z1_VQ512 = SVE_SIG_ZREG_OFFSET(512, 1) - SVE_SIG_REGS_OFFSET,
	KVM_FP_RUST_SVE_Z31_VQ512 = SVE_SIG_ZREG_OFFSET(512, 31) - SVE_SIG_REGS_OFFSET,
	KVM_FP_RUST_SVE_P0_VQ512 = SVE_SIG_PREG_OFFSET(512, 0) - SVE_SIG_REGS_OFFSET,
	KVM_FP_RUST_SVE_P15_VQ512 = SVE_SIG_PREG_OFFSET(512, 15) - SVE_SIG_REGS_OFFSET,
	KVM_FP_RUST_SVE_FFR_VQ512 = SVE_SIG_FFR_OFFSET(512) - SVE_SIG_REGS_OFFSET,
	KVM_FP_RUST_SVE_SIZE_VQ512 = SVE_SIG_REGS_SIZE(512),
};

#endif /* CONFIG_KVM_ARM64_FPSIMD_RUST */

#endif /* __ARM64_KVM_FP_RUST_H__ */

// SPDX-License-Identifier: GPL-2.0
/*
 * C helpers for the Rust FP/SIMD context coordination of KVM arm64.
 *
 * Each wraps a macro or static inline that Rust cannot call, and is
 * called only from the staging and vCPU modules of the Rust code
 * (arch/arm64/kvm/fp_rust/staging.rs, vcpu.rs). They run at vcpu load and
 * put, in the vCPU ioctls, at KVM's initialisation and on error paths; on
 * the per-exit path only with CONFIG_ARM64_PSEUDO_NMI
 * (kvm_fp_rust_irqs_disabled()), with CONFIG_RUST_DEBUG_ASSERTIONS (the
 * two this_cpu helpers, in both per-exit hooks), and once per vCPU at its
 * first binding (kvm_fp_rust_vcpu_has_sve()).
 *
 * Copyright 2026 The KVM FP team
 */
#include <linux/bug.h>
#include <linux/irqflags.h>
#include <linux/kvm_host.h>
#include <linux/nospec.h>
#include <linux/uaccess.h>
#include <asm/fpsimd.h>
#include <asm/kvm_fp_rust.h>
#include <asm/kvm_hyp.h>
#include <asm/sysreg.h>

#include "../sys_regs.h"

/* The visibility flags the Rust side returns are those of sys_regs.h. */
static_assert(KVM_FP_RUST_REG_HIDDEN == REG_HIDDEN);
static_assert(KVM_FP_RUST_REG_RAZ == REG_RAZ);

bool kvm_fp_rust_protected_kvm_enabled(void)
{
	return is_protected_kvm_enabled();
}

bool kvm_fp_rust_supports_fpsimd(void)
{
	return system_supports_fpsimd();
}

bool kvm_fp_rust_supports_sme(void)
{
	return system_supports_sme();
}

bool kvm_fp_rust_vcpu_has_sve(const struct kvm_vcpu *vcpu)
{
	return vcpu_has_sve(vcpu);
}

u64 kvm_fp_rust_read_svcr(void)
{
	return read_sysreg_s(SYS_SVCR);
}

/* Only meaningful while preemption is disabled (vcpu load to put). */
typeof(((struct kvm_host_data *)NULL)->fp_owner) *kvm_fp_rust_this_cpu_fp_owner(void)
{
	return host_data_ptr(fp_owner);
}

/* Only meaningful while preemption is disabled (vcpu load to put). */
struct cpu_fp_state *kvm_fp_rust_this_cpu_last_state(void)
{
	return this_cpu_ptr(&fpsimd_last_state);
}

unsigned long kvm_fp_rust_local_irq_save(void)
{
	unsigned long flags;

	local_irq_save(flags);
	return flags;
}

void kvm_fp_rust_local_irq_restore(unsigned long flags)
{
	local_irq_restore(flags);
}

#ifdef CONFIG_ARM64_PSEUDO_NMI
/* Only needed where masking is in the GIC's priority mask (staging.rs). */
bool kvm_fp_rust_irqs_disabled(void)
{
	return irqs_disabled();
}
#endif

bool kvm_fp_rust_sve_finalized(const struct kvm_vcpu *vcpu)
{
	return kvm_arm_vcpu_sve_finalized(vcpu);
}

bool kvm_fp_rust_supports_sve(void)
{
	return system_supports_sve();
}

unsigned int kvm_fp_rust_sve_max_vl(void)
{
	return sve_max_vl();
}

unsigned int kvm_fp_rust_sve_max_virtualisable_vl(void)
{
	return sve_max_virtualisable_vl();
}

void kvm_fp_rust_set_guest_has_sve(struct kvm_vcpu *vcpu)
{
	vcpu_set_flag(vcpu, GUEST_HAS_SVE);
}

void kvm_fp_rust_set_sve_finalized(struct kvm_vcpu *vcpu)
{
	vcpu_set_flag(vcpu, VCPU_SVE_FINALIZED);
}

/* The host's SVE vector lengths, in the kernel's vq_map bit order. */
void kvm_fp_rust_sve_vq_map(u64 map[KVM_ARM64_SVE_VLS_WORDS])
{
	BUILD_BUG_ON(BITS_TO_U64(SVE_VQ_MAX) != KVM_ARM64_SVE_VLS_WORDS);
	bitmap_to_arr64(map, vl_info[ARM64_VEC_SVE].vq_map, SVE_VQ_MAX);
}

unsigned long kvm_fp_rust_clear_user(void __user *to, unsigned long n)
{
	return clear_user(to, n);
}

unsigned long kvm_fp_rust_index_nospec(unsigned long index, unsigned long size)
{
	return array_index_nospec(index, size);
}

void kvm_fp_rust_warn(const char *msg)
{
	WARN(1, "KVM FP/SIMD: %s\n", msg);
}

void __noreturn kvm_fp_rust_bug(const char *msg)
{
	pr_crit("KVM FP/SIMD: %s\n", msg);
	BUG();
}

static int __init kvm_fp_rust_init(void)
{
	kvm_fp_rust_announce();
	return 0;
}
late_initcall(kvm_fp_rust_init);

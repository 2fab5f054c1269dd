//! Custody of records: who signed each file, and whether a case is complete.
//!
//! Pure (no I/O): signing and checking SSH signatures ([`signing`]), the completeness
//! statement's format ([`manifest`]), the trusted-signers file ([`signers`]), the signed
//! trust file ([`trust`]) and the verdict rules ([`verdict`]). The store does the disk
//! work around them (`store::sealed`, `store::guard`); `records` only calls both.

pub mod manifest;
pub mod signers;
pub mod signing;
pub mod trust;
pub mod verdict;

/**
 * KES identities, API keys, policies (both generations) and name rules, independent of any
 * transport: {@link dev.kes4j.policy.Identities}, {@link dev.kes4j.policy.ApiKey}, {@link
 * dev.kes4j.policy.Policies}, {@link dev.kes4j.policy.PolicySet}, {@link dev.kes4j.policy.Names}.
 */
package dev.kes4j.policy;

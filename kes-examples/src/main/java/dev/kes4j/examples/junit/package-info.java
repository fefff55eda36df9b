/**
 * Example 2, a test harness: {@link dev.kes4j.examples.junit.KesExtension}, a JUnit 5 extension
 * that hands a test a ready {@link dev.kes4j.core.Kes} engine and closes it afterwards.
 */
package dev.kes4j.examples.junit;

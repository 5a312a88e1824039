/**
 * The embedded single-node Kafka broker of {@code meshlog up}, {@code meshlog kafka} and the tests. A module of its
 * own so that only what runs a broker carries Kafka's server and Scala: every component talks to Kafka through
 * config-store, which needs the client alone.
 */
package meshlog.kafkaembedded;

/**
 * Config objects to the IR: one translator per user kind ({@code ServiceEntryTranslator},
 * {@code DestinationRuleTranslator}, {@code VirtualServiceTranslator}), run in that order by {@link
 * meshlog.reconciler.translate.MeshTranslator}. Translators never build protos; what they cannot serve as written
 * they skip and record as a {@link meshlog.reconciler.ir.TranslationNote}, so the IR never refers to a backend
 * that does not exist.
 */
package meshlog.reconciler.translate;

package calfkit.stats;

import static org.junit.jupiter.api.Assertions.*;

import org.junit.jupiter.api.Test;

class RuleTest {

    private static Branch branch(double s, double k) {
        return Rule.select(s, k).branch();
    }

    @Test
    void eachRowOfTable2() {
        assertEquals(Branch.FISHER, branch(-2.5, 3));
        assertEquals(Branch.LOGIT, branch(-0.7, 0));
        assertEquals(Branch.ARCSINE, branch(-0.2, -1));
        assertEquals(Branch.LOG10, branch(3.4, 12));
        assertEquals(Branch.NATURAL_LOG, branch(0.8, 0.1));
        assertEquals(Branch.LOG10, branch(0.3, -0.5));
        assertEquals(Branch.BCE_DICE, branch(0.3, 0.5));
    }

    @Test
    void boundaryValuesExactly() {
        assertEquals(Rule.FISHER_S_LE_MINUS_1, Rule.select(-1.0, 0));             // S ≤ −1
        assertEquals(Rule.LOGIT_S_IN_MINUS_1_MINUS_HALF, Rule.select(Math.nextUp(-1.0), 0));
        assertEquals(Rule.LOGIT_S_IN_MINUS_1_MINUS_HALF, Rule.select(-0.5, 0));   // −1 < S ≤ −0.5
        assertEquals(Rule.ARCSINE_S_IN_MINUS_HALF_0, Rule.select(Math.nextUp(-0.5), 0));
        assertEquals(Rule.ARCSINE_S_IN_MINUS_HALF_0, Rule.select(-Double.MIN_VALUE, 0));
        assertEquals(Rule.UNMATCHED, Rule.select(0.0, 0));                        // S = 0: no row
        assertEquals(Branch.BCE_DICE, branch(0.0, -1));
        assertEquals(Rule.BCE_DICE_S_IN_0_HALF_K_NONNEG, Rule.select(Double.MIN_VALUE, 0.0)); // K = 0 → K ≥ 0
        assertEquals(Rule.LOG10_S_IN_0_HALF_K_NEG, Rule.select(Double.MIN_VALUE, -1e-12));
        assertEquals(Rule.LN_S_IN_HALF_1, Rule.select(0.5, -1));                  // two rows: table order wins
        assertEquals(Rule.LN_S_IN_HALF_1, Rule.select(0.5, 1));
        assertEquals(Rule.LOG10_S_IN_0_HALF_K_NEG, Rule.select(Math.nextDown(0.5), -1));
        assertEquals(Rule.LN_S_IN_HALF_1, Rule.select(Math.nextDown(1.0), 0));
        assertEquals(Rule.LOG10_S_GE_1, Rule.select(1.0, 0));                      // S ≥ 1
    }

    @Test
    void undefinedSkewnessFallsToBceDice() {
        assertEquals(Rule.UNDEFINED, Rule.select(Double.NaN, Double.NaN));
        BranchDecision d = BranchDecision.of(new long[] {5}, EmptyMasks.INCLUDE);
        assertEquals(Branch.BCE_DICE, d.branch());
        assertEquals(Rule.UNDEFINED, d.rule());
    }

    @Test
    void decisionPrintsItsEvidence() {
        BranchDecision d = BranchDecision.of(new long[] {0, 0, 0, 100, 400}, EmptyMasks.INCLUDE);
        assertEquals(Branch.LOG10, d.branch());
        assertEquals("CALF branch Log10 (rule S ≥ 1) from S=1.2910, K=-0.0833, n=5 (empty masks included)",
                d.toString());
    }

    @Test
    void table2IsThePapersSevenRowsInOrder() {
        assertEquals(7, Rule.TABLE_2.size());
        assertEquals(Rule.FISHER_S_LE_MINUS_1, Rule.TABLE_2.get(0));
        assertEquals(Rule.BCE_DICE_S_IN_0_HALF_K_NONNEG, Rule.TABLE_2.get(6));
        assertFalse(Rule.TABLE_2.contains(Rule.UNMATCHED) || Rule.TABLE_2.contains(Rule.UNDEFINED));
    }
}

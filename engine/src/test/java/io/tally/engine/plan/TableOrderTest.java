package io.tally.engine.plan;

import org.junit.jupiter.api.Test;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;

class TableOrderTest {

    @Test
    void parentsComeFirstWhateverTheConfiguredOrder() {
        Map<String, Set<String>> parents = new LinkedHashMap<>();
        parents.put("order_items", Set.of("orders", "products"));
        parents.put("orders", Set.of("customers"));
        parents.put("products", Set.of());
        parents.put("customers", Set.of());
        assertEquals(List.of("products", "customers", "orders", "order_items"), TableOrder.parentsFirst(parents));
    }

    @Test
    void selfReferencesAndUnplannedParentsOrderNothing() {
        Map<String, Set<String>> parents = new LinkedHashMap<>();
        parents.put("employees", Set.of("employees", "departments_not_planned"));
        parents.put("audit", Set.of());
        assertEquals(List.of("employees", "audit"), TableOrder.parentsFirst(parents));
    }

    @Test
    void aCycleKeepsTheConfiguredOrderAndLosesNoTable() {
        Map<String, Set<String>> parents = new LinkedHashMap<>();
        parents.put("a", Set.of("b"));
        parents.put("b", Set.of("a"));
        parents.put("c", Set.of("a"));
        assertEquals(List.of("a", "b", "c"), TableOrder.parentsFirst(parents));
    }
}

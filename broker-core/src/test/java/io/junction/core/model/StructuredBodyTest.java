package io.junction.core.model;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class StructuredBodyTest {

    private static Map<String, Object> everyType() {
        Map<String, Object> map = new LinkedHashMap<>();
        map.put("null", null);
        map.put("boolean", true);
        map.put("byte", (byte) -1);
        map.put("short", (short) 300);
        map.put("char", '€');
        map.put("int", Integer.MIN_VALUE);
        map.put("long", Long.MAX_VALUE);
        map.put("float", 1.5f);
        map.put("double", Math.PI);
        map.put("string", "ünï €".repeat(20_000));
        map.put("bytes", new byte[] {0, 1, (byte) 0xff});
        map.put("map", Map.of("inner", 1));
        map.put("list", List.of("a", 2L));
        return map;
    }

    @Test
    void mapOfEveryTypeKeepsTypesValuesAndOrder() {
        Map<String, Object> decoded = StructuredBody.decodeMap(StructuredBody.encodeMap(everyType()));

        assertThat(decoded.keySet()).containsExactlyElementsOf(everyType().keySet());
        everyType().forEach((name, value) -> {
            if (value instanceof byte[] bytes) {
                assertThat((byte[]) decoded.get(name)).isEqualTo(bytes);
            } else {
                assertThat(decoded.get(name)).as(name).isEqualTo(value);
                if (value != null && !(value instanceof Map) && !(value instanceof List)) {
                    assertThat(decoded.get(name)).as(name).isExactlyInstanceOf(value.getClass());
                }
            }
        });
    }

    @Test
    void listOfEveryTypeKeepsTypesAndOrder() {
        List<Object> list = new ArrayList<>(everyType().values());
        List<Object> decoded = StructuredBody.decodeList(StructuredBody.encodeList(list));
        assertThat(decoded).hasSameSizeAs(list);
        for (int i = 0; i < list.size(); i++) {
            Object value = list.get(i);
            if (value instanceof byte[] bytes) {
                assertThat((byte[]) decoded.get(i)).isEqualTo(bytes);
            } else {
                assertThat(decoded.get(i)).isEqualTo(value);
            }
        }
    }

    @Test
    void emptyBodiesAreEmptyMapsAndLists() {
        assertThat(StructuredBody.decodeMap(new byte[0])).isEmpty();
        assertThat(StructuredBody.decodeList(new byte[0])).isEmpty();
        assertThat(StructuredBody.decodeMap(StructuredBody.encodeMap(Map.of()))).isEmpty();
        assertThat(StructuredBody.decodeList(StructuredBody.encodeList(List.of()))).isEmpty();
    }

    @Test
    void supportedTypesAreCheckedDeeply() {
        assertThat(StructuredBody.isSupported(everyType())).isTrue();
        assertThat(StructuredBody.isSupported(new java.util.Date())).isFalse();
        assertThat(StructuredBody.isSupported(List.of(Map.of("x", new Object())))).isFalse();
        assertThat(StructuredBody.isSupported(Map.of(1, "not a string name"))).isFalse();
        assertThatThrownBy(() -> StructuredBody.encodeList(List.of(new Object())))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void corruptBodiesAreRefusedWithoutHugeAllocations() {
        byte[] body = StructuredBody.encodeList(List.of("abc"));
        byte[] truncated = Arrays.copyOf(body, body.length - 1);
        assertThatThrownBy(() -> StructuredBody.decodeList(truncated)).isInstanceOf(IllegalArgumentException.class);
        byte[] hugeCount = {1, 0x7f, (byte) 0xff, (byte) 0xff, (byte) 0xff};
        assertThatThrownBy(() -> StructuredBody.decodeMap(hugeCount)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> StructuredBody.decodeMap(new byte[] {9})).isInstanceOf(IllegalArgumentException.class);
    }
}

package dev.keyward.handler;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.jr.ob.JSON;
import dev.keyward.core.KeyService.SweepReport;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SweepOrphanSecretsHandlerTest {

    @Test
    @SuppressWarnings("unchecked")
    void metricLine_isCloudWatchEmbeddedMetricFormat_withTheAlarmsMetric() throws Exception {
        Map<String, Object> line = JSON.std.mapFrom(SweepOrphanSecretsHandler.metricLine(new SweepReport(3, 1, 2), 1_764_000_000_000L));

        Map<String, Object> aws = (Map<String, Object>) line.get("_aws");
        assertEquals(1_764_000_000_000L, ((Number) aws.get("Timestamp")).longValue());
        Map<String, Object> directive = ((List<Map<String, Object>>) aws.get("CloudWatchMetrics")).get(0);
        assertEquals("Keyward", directive.get("Namespace"));
        assertEquals(List.of(List.of("Function")), directive.get("Dimensions"));
        List<Object> names = ((List<Map<String, Object>>) directive.get("Metrics")).stream().map(m -> m.get("Name")).toList();
        assertEquals(List.of("OrphanSecretsDestroyed", "SweepFailures", "KeysWithoutSecret"), names);
        // every metric and dimension named in the directive is a member of the line, as EMF requires
        assertEquals("SweepOrphanSecrets", line.get("Function"));
        assertEquals(3, line.get("OrphanSecretsDestroyed"));
        assertEquals(1, line.get("SweepFailures"));
        assertEquals(2, line.get("KeysWithoutSecret"));
        assertEquals("WARN", line.get("level"));
        assertTrue(SweepOrphanSecretsHandler.metricLine(new SweepReport(0, 0, 0), 0).contains("\"level\":\"INFO\""));
    }
}

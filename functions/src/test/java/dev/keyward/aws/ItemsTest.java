package dev.keyward.aws;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** docs/design.md's table of items is the one {@link Items} owns, and names every prefix the adapters write. */
class ItemsTest {

    @Test
    void readme_showsTheTableOfItems_thatItemsOwns() throws IOException {
        Path readme = Path.of(System.getProperty("keyward.root", "..")).resolve("docs/design.md");
        String text = Files.readString(readme);

        assertTrue(text.contains(Items.markdownTable()), "docs/design.md's table of items differs from Items.LAYOUT; paste "
                + "Items.markdownTable() in its place:\n" + Items.markdownTable());
    }

    @Test
    void layout_namesEveryKeyPrefix_theAdaptersWrite() throws IllegalAccessException {
        for (Field field : Items.class.getDeclaredFields()) {
            if (Modifier.isStatic(field.getModifiers()) && field.getType() == String.class
                    && (field.getName().endsWith("_PREFIX") || field.getName().endsWith("_SK") || field.getName().endsWith("_PK"))) {
                String prefix = (String) field.get(null);
                assertTrue(Items.LAYOUT.stream().anyMatch(kind -> kind.pk().startsWith(prefix) || kind.sk().startsWith(prefix)),
                        field.getName() + " (" + prefix + ") is in no kind of item of Items.LAYOUT");
            }
        }
    }
}

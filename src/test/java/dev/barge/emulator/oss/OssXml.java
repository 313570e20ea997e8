package dev.barge.emulator.oss;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.io.ByteArrayInputStream;
import java.util.ArrayList;
import java.util.List;
import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilder;
import javax.xml.parsers.DocumentBuilderFactory;
import org.w3c.dom.Element;
import org.w3c.dom.Node;

/** Writes the XML bodies OSS returns and reads the few XML bodies OSS accepts. */
final class OssXml {

    private final StringBuilder out = new StringBuilder(256).append("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");

    private OssXml() {}

    static OssXml document() {
        return new OssXml();
    }

    OssXml open(String element) {
        out.append('<').append(element).append('>');
        return this;
    }

    OssXml close(String element) {
        out.append("</").append(element).append('>');
        return this;
    }

    /** {@code <element>text</element>}; an empty element when {@code text} is {@code null}. */
    OssXml element(String element, Object text) {
        out.append('<').append(element).append('>');
        if (text != null) {
            escape(text.toString());
        }
        return close(element);
    }

    /** Like {@link #element} but leaves the element out when {@code text} is {@code null}. */
    OssXml optional(String element, Object text) {
        return text == null ? this : element(element, text);
    }

    byte[] toBytes() {
        return out.toString().getBytes(UTF_8);
    }

    private void escape(String text) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '&' -> out.append("&amp;");
                case '<' -> out.append("&lt;");
                case '>' -> out.append("&gt;");
                case '"' -> out.append("&quot;");
                case '\'' -> out.append("&apos;");
                default -> out.append(c);
            }
        }
    }

    // ---- reading request bodies

    /** Parses a request body; an empty or broken body is {@code MalformedXML}. */
    static Element parse(byte[] body) {
        if (body.length == 0) {
            throw OssError.malformedXml("empty body");
        }
        try {
            DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
            factory.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
            factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
            factory.setExpandEntityReferences(false);
            DocumentBuilder builder = factory.newDocumentBuilder();
            builder.setErrorHandler(null);
            return builder.parse(new ByteArrayInputStream(body)).getDocumentElement();
        } catch (Exception e) {
            throw OssError.malformedXml(String.valueOf(e.getMessage()));
        }
    }

    /** The direct children of {@code parent} named {@code name}. */
    static List<Element> children(Element parent, String name) {
        List<Element> result = new ArrayList<>();
        for (Node node = parent.getFirstChild(); node != null; node = node.getNextSibling()) {
            if (node instanceof Element element && element.getTagName().equals(name)) {
                result.add(element);
            }
        }
        return result;
    }

    /** Text of the first direct child named {@code name}, or {@code null}. */
    static String childText(Element parent, String name) {
        List<Element> found = children(parent, name);
        return found.isEmpty() ? null : found.get(0).getTextContent();
    }
}

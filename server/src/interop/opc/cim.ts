// The WMI instances inside a ConfigMgr export, written in CIM-XML (`<INSTANCE CLASSNAME=...>` with
// `<PROPERTY NAME=... TYPE=...><VALUE>`): reading a property, replacing one while keeping every
// other part of the instance as it was, and building new instances the way the console writes
// them (a CIMTYPE qualifier per property).

import { attr, childElements, element, text, textOf, type XmlElement } from '../xml/tree';

const PROPERTY_ELEMENTS = new Set(['PROPERTY', 'PROPERTY.ARRAY', 'PROPERTY.OBJECTARRAY', 'PROPERTY.REFERENCE']);

export function instanceClass(instance: XmlElement): string | undefined {
  return attr(instance, 'CLASSNAME');
}

export function findProperty(instance: XmlElement, name: string): XmlElement | undefined {
  const lower = name.toLowerCase();
  return childElements(instance).find(
    (c) => PROPERTY_ELEMENTS.has(c.name) && (attr(c, 'NAME') ?? '').toLowerCase() === lower,
  );
}

/** A scalar property's value (CDATA and text joined), or undefined when it has no VALUE. */
export function propertyValue(instance: XmlElement, name: string): string | undefined {
  const p = findProperty(instance, name);
  const v = p && childElements(p).find((c) => c.name === 'VALUE');
  return v ? textOf(v) : undefined;
}

/** The VALUEs of an array property. */
export function propertyValues(instance: XmlElement, name: string): string[] {
  const p = findProperty(instance, name);
  const arr = p && childElements(p).find((c) => c.name === 'VALUE.ARRAY');
  return arr
    ? childElements(arr)
        .filter((c) => c.name === 'VALUE')
        .map(textOf)
    : [];
}

function cimType(type: string): XmlElement {
  return element('QUALIFIER', { NAME: 'CIMTYPE', PROPAGATED: 'true', TYPE: 'string', TOINSTANCE: 'true' }, [
    element('VALUE', {}, [text(type)]),
  ]);
}

/** A new scalar PROPERTY element in the console's shape. */
export function scalarProperty(
  name: string,
  type: string,
  classOrigin: string,
  value: string | undefined,
  cdata = false,
): XmlElement {
  const children: XmlElement[] = [cimType(type)];
  if (value !== undefined) children.push(element('VALUE', {}, value === '' ? [] : [text(value, cdata)]));
  return element('PROPERTY', { NAME: name, CLASSORIGIN: classOrigin, TYPE: type }, children);
}

/** Sets a scalar property's value, keeping its qualifiers; adds the property when missing. */
export function setPropertyValue(
  instance: XmlElement,
  name: string,
  type: string,
  classOrigin: string,
  value: string,
  cdata = false,
): void {
  const p = findProperty(instance, name);
  if (!p) {
    instance.children.push(scalarProperty(name, type, classOrigin, value, cdata));
    return;
  }
  const valueElement = element('VALUE', {}, value === '' ? [] : [text(value, cdata)]);
  const i = p.children.findIndex((c) => c.kind === 'element' && c.name === 'VALUE');
  if (i >= 0) p.children[i] = valueElement;
  else p.children.push(valueElement);
}

/** Replaces (or adds) a whole property element. */
export function replaceProperty(instance: XmlElement, replacement: XmlElement): void {
  const name = attr(replacement, 'NAME') ?? '';
  const i = instance.children.findIndex(
    (c) =>
      c.kind === 'element' &&
      PROPERTY_ELEMENTS.has(c.name) &&
      (attr(c, 'NAME') ?? '').toLowerCase() === name.toLowerCase(),
  );
  if (i >= 0) instance.children[i] = replacement;
  else instance.children.push(replacement);
}

/** An embedded instance (`VALUE.OBJECT`) with scalar properties, as in the References array. */
export function embeddedInstance(
  className: string,
  props: { name: string; type: string; value: string }[],
): XmlElement {
  return element('VALUE.OBJECT', {}, [
    element(
      'INSTANCE',
      { CLASSNAME: className },
      props.map((p) => scalarProperty(p.name, p.type, className, p.value)),
    ),
  ]);
}

export function objectArrayProperty(
  name: string,
  classOrigin: string,
  referenceClass: string,
  values: XmlElement[],
): XmlElement {
  return element('PROPERTY.OBJECTARRAY', { NAME: name, CLASSORIGIN: classOrigin, REFERENCECLASS: referenceClass }, [
    cimType(`object:${referenceClass}`),
    element('VALUE.OBJECTARRAY', {}, values),
  ]);
}

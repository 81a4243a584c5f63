// DWARF code tables: one record per code with its name (and, for forms and
// operations, how its operands are encoded). The decoders in this folder are
// driven by these tables, so adding a code means adding one row here.
// Source: DWARF Debugging Information Format Version 5 (dwarfstd.org, 2017),
// section 7 "Data Representation": Table 7.2 (unit types), 7.3 (tags),
// 7.5 (attributes), 7.6 (forms), 7.9 (operations), 7.10 (location list
// entries), 7.11 (base type encodings), 7.30 (range list entries),
// 7.29 (call frame instructions); GNU extensions as emitted by GCC 12 and
// named by binutils' include/dwarf2.def.

/** Builds the code → name map and the name → code map of one table. */
function table(rows: readonly (readonly [number, string])[]): { name: Map<number, string>; code: Map<string, number> } {
  const name = new Map<number, string>();
  const code = new Map<string, number>();
  for (const [c, n] of rows) {
    name.set(c, n);
    code.set(n, c);
  }
  return { name, code };
}

const hex = (v: number): string => '0x' + v.toString(16);

// DWARF 5 §7.5.1, Table 7.2.
export const DW_UT = table([
  [0x01, 'DW_UT_compile'], [0x02, 'DW_UT_type'], [0x03, 'DW_UT_partial'], [0x04, 'DW_UT_skeleton'],
  [0x05, 'DW_UT_split_compile'], [0x06, 'DW_UT_split_type'],
]);

// DWARF 5 §7.5.3, Table 7.3 (+ GNU extensions 0x4081..).
export const DW_TAG = table([
  [0x01, 'DW_TAG_array_type'], [0x02, 'DW_TAG_class_type'], [0x03, 'DW_TAG_entry_point'], [0x04, 'DW_TAG_enumeration_type'],
  [0x05, 'DW_TAG_formal_parameter'], [0x08, 'DW_TAG_imported_declaration'], [0x0a, 'DW_TAG_label'],
  [0x0b, 'DW_TAG_lexical_block'], [0x0d, 'DW_TAG_member'], [0x0f, 'DW_TAG_pointer_type'], [0x10, 'DW_TAG_reference_type'],
  [0x11, 'DW_TAG_compile_unit'], [0x12, 'DW_TAG_string_type'], [0x13, 'DW_TAG_structure_type'],
  [0x15, 'DW_TAG_subroutine_type'], [0x16, 'DW_TAG_typedef'], [0x17, 'DW_TAG_union_type'],
  [0x18, 'DW_TAG_unspecified_parameters'], [0x19, 'DW_TAG_variant'], [0x1a, 'DW_TAG_common_block'],
  [0x1b, 'DW_TAG_common_inclusion'], [0x1c, 'DW_TAG_inheritance'], [0x1d, 'DW_TAG_inlined_subroutine'],
  [0x1e, 'DW_TAG_module'], [0x1f, 'DW_TAG_ptr_to_member_type'], [0x20, 'DW_TAG_set_type'], [0x21, 'DW_TAG_subrange_type'],
  [0x22, 'DW_TAG_with_stmt'], [0x23, 'DW_TAG_access_declaration'], [0x24, 'DW_TAG_base_type'],
  [0x25, 'DW_TAG_catch_block'], [0x26, 'DW_TAG_const_type'], [0x27, 'DW_TAG_constant'], [0x28, 'DW_TAG_enumerator'],
  [0x29, 'DW_TAG_file_type'], [0x2a, 'DW_TAG_friend'], [0x2b, 'DW_TAG_namelist'], [0x2c, 'DW_TAG_namelist_item'],
  [0x2d, 'DW_TAG_packed_type'], [0x2e, 'DW_TAG_subprogram'], [0x2f, 'DW_TAG_template_type_param'],
  [0x30, 'DW_TAG_template_value_param'], [0x31, 'DW_TAG_thrown_type'], [0x32, 'DW_TAG_try_block'],
  [0x33, 'DW_TAG_variant_part'], [0x34, 'DW_TAG_variable'], [0x35, 'DW_TAG_volatile_type'],
  [0x36, 'DW_TAG_dwarf_procedure'], [0x37, 'DW_TAG_restrict_type'], [0x38, 'DW_TAG_interface_type'],
  [0x39, 'DW_TAG_namespace'], [0x3a, 'DW_TAG_imported_module'], [0x3b, 'DW_TAG_unspecified_type'],
  [0x3c, 'DW_TAG_partial_unit'], [0x3d, 'DW_TAG_imported_unit'], [0x3f, 'DW_TAG_condition'],
  [0x40, 'DW_TAG_shared_type'], [0x41, 'DW_TAG_type_unit'], [0x42, 'DW_TAG_rvalue_reference_type'],
  [0x43, 'DW_TAG_template_alias'], [0x44, 'DW_TAG_coarray_type'], [0x45, 'DW_TAG_generic_subrange'],
  [0x46, 'DW_TAG_dynamic_type'], [0x47, 'DW_TAG_atomic_type'], [0x48, 'DW_TAG_call_site'],
  [0x49, 'DW_TAG_call_site_parameter'], [0x4a, 'DW_TAG_skeleton_unit'], [0x4b, 'DW_TAG_immutable_type'],
  [0x4106, 'DW_TAG_GNU_template_template_param'], [0x4107, 'DW_TAG_GNU_template_parameter_pack'],
  [0x4108, 'DW_TAG_GNU_formal_parameter_pack'], [0x4109, 'DW_TAG_GNU_call_site'],
  [0x410a, 'DW_TAG_GNU_call_site_parameter'],
]);

// DWARF 5 §7.5.4, Table 7.5 (+ GNU extensions).
export const DW_AT = table([
  [0x01, 'DW_AT_sibling'], [0x02, 'DW_AT_location'], [0x03, 'DW_AT_name'], [0x09, 'DW_AT_ordering'],
  [0x0b, 'DW_AT_byte_size'], [0x0c, 'DW_AT_bit_offset'], [0x0d, 'DW_AT_bit_size'], [0x10, 'DW_AT_stmt_list'],
  [0x11, 'DW_AT_low_pc'], [0x12, 'DW_AT_high_pc'], [0x13, 'DW_AT_language'], [0x15, 'DW_AT_discr'],
  [0x16, 'DW_AT_discr_value'], [0x17, 'DW_AT_visibility'], [0x18, 'DW_AT_import'], [0x19, 'DW_AT_string_length'],
  [0x1a, 'DW_AT_common_reference'], [0x1b, 'DW_AT_comp_dir'], [0x1c, 'DW_AT_const_value'],
  [0x1d, 'DW_AT_containing_type'], [0x1e, 'DW_AT_default_value'], [0x20, 'DW_AT_inline'],
  [0x21, 'DW_AT_is_optional'], [0x22, 'DW_AT_lower_bound'], [0x25, 'DW_AT_producer'], [0x27, 'DW_AT_prototyped'],
  [0x2a, 'DW_AT_return_addr'], [0x2c, 'DW_AT_start_scope'], [0x2e, 'DW_AT_bit_stride'], [0x2f, 'DW_AT_upper_bound'],
  [0x31, 'DW_AT_abstract_origin'], [0x32, 'DW_AT_accessibility'], [0x33, 'DW_AT_address_class'],
  [0x34, 'DW_AT_artificial'], [0x35, 'DW_AT_base_types'], [0x36, 'DW_AT_calling_convention'], [0x37, 'DW_AT_count'],
  [0x38, 'DW_AT_data_member_location'], [0x39, 'DW_AT_decl_column'], [0x3a, 'DW_AT_decl_file'],
  [0x3b, 'DW_AT_decl_line'], [0x3c, 'DW_AT_declaration'], [0x3d, 'DW_AT_discr_list'], [0x3e, 'DW_AT_encoding'],
  [0x3f, 'DW_AT_external'], [0x40, 'DW_AT_frame_base'], [0x41, 'DW_AT_friend'], [0x42, 'DW_AT_identifier_case'],
  [0x43, 'DW_AT_macro_info'], [0x44, 'DW_AT_namelist_item'], [0x45, 'DW_AT_priority'], [0x46, 'DW_AT_segment'],
  [0x47, 'DW_AT_specification'], [0x48, 'DW_AT_static_link'], [0x49, 'DW_AT_type'], [0x4a, 'DW_AT_use_location'],
  [0x4b, 'DW_AT_variable_parameter'], [0x4c, 'DW_AT_virtuality'], [0x4d, 'DW_AT_vtable_elem_location'],
  [0x4e, 'DW_AT_allocated'], [0x4f, 'DW_AT_associated'], [0x50, 'DW_AT_data_location'], [0x51, 'DW_AT_byte_stride'],
  [0x52, 'DW_AT_entry_pc'], [0x53, 'DW_AT_use_UTF8'], [0x54, 'DW_AT_extension'], [0x55, 'DW_AT_ranges'],
  [0x56, 'DW_AT_trampoline'], [0x57, 'DW_AT_call_column'], [0x58, 'DW_AT_call_file'], [0x59, 'DW_AT_call_line'],
  [0x5a, 'DW_AT_description'], [0x5b, 'DW_AT_binary_scale'], [0x5c, 'DW_AT_decimal_scale'], [0x5d, 'DW_AT_small'],
  [0x5e, 'DW_AT_decimal_sign'], [0x5f, 'DW_AT_digit_count'], [0x60, 'DW_AT_picture_string'], [0x61, 'DW_AT_mutable'],
  [0x62, 'DW_AT_threads_scaled'], [0x63, 'DW_AT_explicit'], [0x64, 'DW_AT_object_pointer'], [0x65, 'DW_AT_endianity'],
  [0x66, 'DW_AT_elemental'], [0x67, 'DW_AT_pure'], [0x68, 'DW_AT_recursive'], [0x69, 'DW_AT_signature'],
  [0x6a, 'DW_AT_main_subprogram'], [0x6b, 'DW_AT_data_bit_offset'], [0x6c, 'DW_AT_const_expr'],
  [0x6d, 'DW_AT_enum_class'], [0x6e, 'DW_AT_linkage_name'], [0x6f, 'DW_AT_string_length_bit_size'],
  [0x70, 'DW_AT_string_length_byte_size'], [0x71, 'DW_AT_rank'], [0x72, 'DW_AT_str_offsets_base'],
  [0x73, 'DW_AT_addr_base'], [0x74, 'DW_AT_rnglists_base'], [0x76, 'DW_AT_dwo_name'], [0x77, 'DW_AT_reference'],
  [0x78, 'DW_AT_rvalue_reference'], [0x79, 'DW_AT_macros'], [0x7a, 'DW_AT_call_all_calls'],
  [0x7b, 'DW_AT_call_all_source_calls'], [0x7c, 'DW_AT_call_all_tail_calls'], [0x7d, 'DW_AT_call_return_pc'],
  [0x7e, 'DW_AT_call_value'], [0x7f, 'DW_AT_call_origin'], [0x80, 'DW_AT_call_parameter'], [0x81, 'DW_AT_call_pc'],
  [0x82, 'DW_AT_call_tail_call'], [0x83, 'DW_AT_call_target'], [0x84, 'DW_AT_call_target_clobbered'],
  [0x85, 'DW_AT_call_data_location'], [0x86, 'DW_AT_call_data_value'], [0x87, 'DW_AT_noreturn'],
  [0x88, 'DW_AT_alignment'], [0x89, 'DW_AT_export_symbols'], [0x8a, 'DW_AT_deleted'], [0x8b, 'DW_AT_defaulted'],
  [0x8c, 'DW_AT_loclists_base'],
  [0x2007, 'DW_AT_MIPS_linkage_name'], [0x2107, 'DW_AT_GNU_template_name'], [0x2111, 'DW_AT_GNU_call_site_value'],
  [0x2112, 'DW_AT_GNU_call_site_data_value'], [0x2113, 'DW_AT_GNU_call_site_target'],
  [0x2114, 'DW_AT_GNU_call_site_target_clobbered'], [0x2115, 'DW_AT_GNU_tail_call'],
  [0x2116, 'DW_AT_GNU_all_tail_call_sites'], [0x2117, 'DW_AT_GNU_all_call_sites'],
  [0x2118, 'DW_AT_GNU_all_source_call_sites'], [0x2119, 'DW_AT_GNU_macros'], [0x211a, 'DW_AT_GNU_deleted'],
  [0x2137, 'DW_AT_GNU_locviews'], [0x2138, 'DW_AT_GNU_entry_view'],
]);

/**
 * How a form's value is encoded (DWARF 5 §7.5.5, Table 7.6; §7.5.6 for the
 * classes). 'offset' means an offset_size (4 or 8 byte) field, 'addr' an
 * address_size field.
 */
export type FormEncoding =
  | 'addr' | 'block1' | 'block2' | 'block4' | 'block' | 'data1' | 'data2' | 'data4' | 'data8' | 'data16'
  | 'string' | 'flag' | 'flag_present' | 'sdata' | 'udata' | 'strp' | 'line_strp' | 'strx' | 'strx1' | 'strx2'
  | 'strx3' | 'strx4' | 'addrx' | 'addrx1' | 'addrx2' | 'addrx3' | 'addrx4' | 'ref1' | 'ref2' | 'ref4' | 'ref8'
  | 'ref_udata' | 'ref_addr' | 'ref_sig8' | 'ref_sup4' | 'ref_sup8' | 'sec_offset' | 'exprloc' | 'indirect'
  | 'implicit_const' | 'loclistx' | 'rnglistx' | 'strp_sup' | 'gnu_ref_alt' | 'gnu_strp_alt';

export const DW_FORM_ROWS: readonly (readonly [number, string, FormEncoding])[] = [
  [0x01, 'DW_FORM_addr', 'addr'], [0x03, 'DW_FORM_block2', 'block2'], [0x04, 'DW_FORM_block4', 'block4'],
  [0x05, 'DW_FORM_data2', 'data2'], [0x06, 'DW_FORM_data4', 'data4'], [0x07, 'DW_FORM_data8', 'data8'],
  [0x08, 'DW_FORM_string', 'string'], [0x09, 'DW_FORM_block', 'block'], [0x0a, 'DW_FORM_block1', 'block1'],
  [0x0b, 'DW_FORM_data1', 'data1'], [0x0c, 'DW_FORM_flag', 'flag'], [0x0d, 'DW_FORM_sdata', 'sdata'],
  [0x0e, 'DW_FORM_strp', 'strp'], [0x0f, 'DW_FORM_udata', 'udata'], [0x10, 'DW_FORM_ref_addr', 'ref_addr'],
  [0x11, 'DW_FORM_ref1', 'ref1'], [0x12, 'DW_FORM_ref2', 'ref2'], [0x13, 'DW_FORM_ref4', 'ref4'],
  [0x14, 'DW_FORM_ref8', 'ref8'], [0x15, 'DW_FORM_ref_udata', 'ref_udata'], [0x16, 'DW_FORM_indirect', 'indirect'],
  [0x17, 'DW_FORM_sec_offset', 'sec_offset'], [0x18, 'DW_FORM_exprloc', 'exprloc'],
  [0x19, 'DW_FORM_flag_present', 'flag_present'], [0x1a, 'DW_FORM_strx', 'strx'], [0x1b, 'DW_FORM_addrx', 'addrx'],
  [0x1c, 'DW_FORM_ref_sup4', 'ref_sup4'], [0x1d, 'DW_FORM_strp_sup', 'strp_sup'], [0x1e, 'DW_FORM_data16', 'data16'],
  [0x1f, 'DW_FORM_line_strp', 'line_strp'], [0x20, 'DW_FORM_ref_sig8', 'ref_sig8'],
  [0x21, 'DW_FORM_implicit_const', 'implicit_const'], [0x22, 'DW_FORM_loclistx', 'loclistx'],
  [0x23, 'DW_FORM_rnglistx', 'rnglistx'], [0x24, 'DW_FORM_ref_sup8', 'ref_sup8'], [0x25, 'DW_FORM_strx1', 'strx1'],
  [0x26, 'DW_FORM_strx2', 'strx2'], [0x27, 'DW_FORM_strx3', 'strx3'], [0x28, 'DW_FORM_strx4', 'strx4'],
  [0x29, 'DW_FORM_addrx1', 'addrx1'], [0x2a, 'DW_FORM_addrx2', 'addrx2'], [0x2b, 'DW_FORM_addrx3', 'addrx3'],
  [0x2c, 'DW_FORM_addrx4', 'addrx4'],
  [0x1f20, 'DW_FORM_GNU_ref_alt', 'gnu_ref_alt'], [0x1f21, 'DW_FORM_GNU_strp_alt', 'gnu_strp_alt'],
];
export const DW_FORM = table(DW_FORM_ROWS.map(([c, n]) => [c, n] as const));
export const FORM_ENCODING = new Map<number, FormEncoding>(DW_FORM_ROWS.map(([c, , e]) => [c, e]));

// DWARF 5 §7.8, Table 7.11 (base type encodings).
export const DW_ATE = table([
  [0x01, 'DW_ATE_address'], [0x02, 'DW_ATE_boolean'], [0x03, 'DW_ATE_complex_float'], [0x04, 'DW_ATE_float'],
  [0x05, 'DW_ATE_signed'], [0x06, 'DW_ATE_signed_char'], [0x07, 'DW_ATE_unsigned'], [0x08, 'DW_ATE_unsigned_char'],
  [0x09, 'DW_ATE_imaginary_float'], [0x0a, 'DW_ATE_packed_decimal'], [0x0b, 'DW_ATE_numeric_string'],
  [0x0c, 'DW_ATE_edited'], [0x0d, 'DW_ATE_signed_fixed'], [0x0e, 'DW_ATE_unsigned_fixed'],
  [0x0f, 'DW_ATE_decimal_float'], [0x10, 'DW_ATE_UTF'], [0x11, 'DW_ATE_UCS'], [0x12, 'DW_ATE_ASCII'],
]);

/**
 * Operand encodings of a DWARF expression operation (DWARF 5 §7.7.1, Table 7.9):
 * u1/s1/u2/s2/u4/s4/u8/s8 fixed-size constants, uleb/sleb LEB128, addr an
 * address_size field, offset an offset_size field, block a ULEB128 length and
 * that many bytes (DW_OP_implicit_value), block1 a 1-byte length and that many bytes (DW_OP_const_type), expr a ULEB128 length and a nested
 * expression (DW_OP_entry_value), skip a signed 2-byte branch offset.
 */
export type OpOperand = 'u1' | 's1' | 'u2' | 's2' | 'u4' | 's4' | 'u8' | 's8' | 'uleb' | 'sleb' | 'addr' | 'offset' | 'block' | 'block1' | 'expr' | 'skip';

export interface OpInfo {
  code: number;
  name: string;
  operands: readonly OpOperand[];
}

const OP_ROWS: OpInfo[] = [
  { code: 0x03, name: 'DW_OP_addr', operands: ['addr'] },
  { code: 0x06, name: 'DW_OP_deref', operands: [] },
  { code: 0x08, name: 'DW_OP_const1u', operands: ['u1'] }, { code: 0x09, name: 'DW_OP_const1s', operands: ['s1'] },
  { code: 0x0a, name: 'DW_OP_const2u', operands: ['u2'] }, { code: 0x0b, name: 'DW_OP_const2s', operands: ['s2'] },
  { code: 0x0c, name: 'DW_OP_const4u', operands: ['u4'] }, { code: 0x0d, name: 'DW_OP_const4s', operands: ['s4'] },
  { code: 0x0e, name: 'DW_OP_const8u', operands: ['u8'] }, { code: 0x0f, name: 'DW_OP_const8s', operands: ['s8'] },
  { code: 0x10, name: 'DW_OP_constu', operands: ['uleb'] }, { code: 0x11, name: 'DW_OP_consts', operands: ['sleb'] },
  { code: 0x12, name: 'DW_OP_dup', operands: [] }, { code: 0x13, name: 'DW_OP_drop', operands: [] },
  { code: 0x14, name: 'DW_OP_over', operands: [] }, { code: 0x15, name: 'DW_OP_pick', operands: ['u1'] },
  { code: 0x16, name: 'DW_OP_swap', operands: [] }, { code: 0x17, name: 'DW_OP_rot', operands: [] },
  { code: 0x18, name: 'DW_OP_xderef', operands: [] }, { code: 0x19, name: 'DW_OP_abs', operands: [] },
  { code: 0x1a, name: 'DW_OP_and', operands: [] }, { code: 0x1b, name: 'DW_OP_div', operands: [] },
  { code: 0x1c, name: 'DW_OP_minus', operands: [] }, { code: 0x1d, name: 'DW_OP_mod', operands: [] },
  { code: 0x1e, name: 'DW_OP_mul', operands: [] }, { code: 0x1f, name: 'DW_OP_neg', operands: [] },
  { code: 0x20, name: 'DW_OP_not', operands: [] }, { code: 0x21, name: 'DW_OP_or', operands: [] },
  { code: 0x22, name: 'DW_OP_plus', operands: [] }, { code: 0x23, name: 'DW_OP_plus_uconst', operands: ['uleb'] },
  { code: 0x24, name: 'DW_OP_shl', operands: [] }, { code: 0x25, name: 'DW_OP_shr', operands: [] },
  { code: 0x26, name: 'DW_OP_shra', operands: [] }, { code: 0x27, name: 'DW_OP_xor', operands: [] },
  { code: 0x28, name: 'DW_OP_bra', operands: ['skip'] }, { code: 0x29, name: 'DW_OP_eq', operands: [] },
  { code: 0x2a, name: 'DW_OP_ge', operands: [] }, { code: 0x2b, name: 'DW_OP_gt', operands: [] },
  { code: 0x2c, name: 'DW_OP_le', operands: [] }, { code: 0x2d, name: 'DW_OP_lt', operands: [] },
  { code: 0x2e, name: 'DW_OP_ne', operands: [] }, { code: 0x2f, name: 'DW_OP_skip', operands: ['skip'] },
  // 0x30..0x4f DW_OP_lit0..31, 0x50..0x6f DW_OP_reg0..31, 0x70..0x8f DW_OP_breg0..31: added below.
  { code: 0x90, name: 'DW_OP_regx', operands: ['uleb'] }, { code: 0x91, name: 'DW_OP_fbreg', operands: ['sleb'] },
  { code: 0x92, name: 'DW_OP_bregx', operands: ['uleb', 'sleb'] }, { code: 0x93, name: 'DW_OP_piece', operands: ['uleb'] },
  { code: 0x94, name: 'DW_OP_deref_size', operands: ['u1'] }, { code: 0x95, name: 'DW_OP_xderef_size', operands: ['u1'] },
  { code: 0x96, name: 'DW_OP_nop', operands: [] }, { code: 0x97, name: 'DW_OP_push_object_address', operands: [] },
  { code: 0x98, name: 'DW_OP_call2', operands: ['u2'] }, { code: 0x99, name: 'DW_OP_call4', operands: ['u4'] },
  { code: 0x9a, name: 'DW_OP_call_ref', operands: ['offset'] },
  { code: 0x9b, name: 'DW_OP_form_tls_address', operands: [] },
  { code: 0x9c, name: 'DW_OP_call_frame_cfa', operands: [] },
  { code: 0x9d, name: 'DW_OP_bit_piece', operands: ['uleb', 'uleb'] },
  { code: 0x9e, name: 'DW_OP_implicit_value', operands: ['block'] },
  { code: 0x9f, name: 'DW_OP_stack_value', operands: [] },
  { code: 0xa0, name: 'DW_OP_implicit_pointer', operands: ['offset', 'sleb'] },
  { code: 0xa1, name: 'DW_OP_addrx', operands: ['uleb'] }, { code: 0xa2, name: 'DW_OP_constx', operands: ['uleb'] },
  { code: 0xa3, name: 'DW_OP_entry_value', operands: ['expr'] },
  { code: 0xa4, name: 'DW_OP_const_type', operands: ['uleb', 'block1'] },
  { code: 0xa5, name: 'DW_OP_regval_type', operands: ['uleb', 'uleb'] },
  { code: 0xa6, name: 'DW_OP_deref_type', operands: ['u1', 'uleb'] },
  { code: 0xa7, name: 'DW_OP_xderef_type', operands: ['u1', 'uleb'] },
  { code: 0xa8, name: 'DW_OP_convert', operands: ['uleb'] }, { code: 0xa9, name: 'DW_OP_reinterpret', operands: ['uleb'] },
  // GNU extensions (binutils dwarf2.def), emitted by GCC for DWARF 4 and earlier.
  { code: 0xe0, name: 'DW_OP_GNU_push_tls_address', operands: [] },
  { code: 0xf0, name: 'DW_OP_GNU_uninit', operands: [] },
  { code: 0xf2, name: 'DW_OP_GNU_implicit_pointer', operands: ['offset', 'sleb'] },
  { code: 0xf3, name: 'DW_OP_GNU_entry_value', operands: ['expr'] },
  { code: 0xf4, name: 'DW_OP_GNU_const_type', operands: ['uleb', 'block1'] },
  { code: 0xf5, name: 'DW_OP_GNU_regval_type', operands: ['uleb', 'uleb'] },
  { code: 0xf6, name: 'DW_OP_GNU_deref_type', operands: ['u1', 'uleb'] },
  { code: 0xf7, name: 'DW_OP_GNU_convert', operands: ['uleb'] },
  { code: 0xf9, name: 'DW_OP_GNU_reinterpret', operands: ['uleb'] },
  { code: 0xfa, name: 'DW_OP_GNU_parameter_ref', operands: ['u4'] },
  { code: 0xfb, name: 'DW_OP_GNU_addr_index', operands: ['uleb'] },
  { code: 0xfc, name: 'DW_OP_GNU_const_index', operands: ['uleb'] },
  { code: 0xfd, name: 'DW_OP_GNU_variable_value', operands: ['offset'] },
];
for (let i = 0; i < 32; i++) {
  OP_ROWS.push({ code: 0x30 + i, name: `DW_OP_lit${i}`, operands: [] });
  OP_ROWS.push({ code: 0x50 + i, name: `DW_OP_reg${i}`, operands: [] });
  OP_ROWS.push({ code: 0x70 + i, name: `DW_OP_breg${i}`, operands: ['sleb'] });
}
/** DW_OP_* by code. DW_OP_const_type's second operand is a 1-byte length and that many bytes ('block1'). */
export const DW_OP = new Map<number, OpInfo>(OP_ROWS.map((r) => [r.code, r]));
export const DW_OP_CODE = new Map<string, number>(OP_ROWS.map((r) => [r.name, r.code]));
export const DW_OP_lit0 = 0x30, DW_OP_reg0 = 0x50, DW_OP_breg0 = 0x70;

// DWARF 5 §7.7.3, Table 7.10 (+ DW_LLE_GNU_view_pair 0x09 from GCC's -gvariable-location-views=incompat5).
export const DW_LLE = table([
  [0x00, 'DW_LLE_end_of_list'], [0x01, 'DW_LLE_base_addressx'], [0x02, 'DW_LLE_startx_endx'],
  [0x03, 'DW_LLE_startx_length'], [0x04, 'DW_LLE_offset_pair'], [0x05, 'DW_LLE_default_location'],
  [0x06, 'DW_LLE_base_address'], [0x07, 'DW_LLE_start_end'], [0x08, 'DW_LLE_start_length'],
  [0x09, 'DW_LLE_GNU_view_pair'],
]);

// DWARF 5 §7.25, Table 7.30.
export const DW_RLE = table([
  [0x00, 'DW_RLE_end_of_list'], [0x01, 'DW_RLE_base_addressx'], [0x02, 'DW_RLE_startx_endx'],
  [0x03, 'DW_RLE_startx_length'], [0x04, 'DW_RLE_offset_pair'], [0x05, 'DW_RLE_base_address'],
  [0x06, 'DW_RLE_start_end'], [0x07, 'DW_RLE_start_length'],
]);

/**
 * Call frame instructions (DWARF 5 §7.24, Table 7.29). The three "primary"
 * opcodes keep their operand in the low 6 bits (high 2 bits 1, 2, 3); the rest
 * are in the low 6 bits with the high 2 bits 0. DW_CFA_AARCH64_negate_ra_state
 * shares 0x2d with DW_CFA_GNU_window_save (AADWARF64 §4.4.2 "Call frame
 * instructions").
 */
export type CfaOperand = 'delta' | 'addr' | 'u1' | 'u2' | 'u4' | 'uleb' | 'sleb' | 'block';
export interface CfaInfo {
  code: number;
  name: string;
  operands: readonly CfaOperand[];
}
const CFA_ROWS: CfaInfo[] = [
  { code: 0x40, name: 'DW_CFA_advance_loc', operands: ['delta'] },
  { code: 0x80, name: 'DW_CFA_offset', operands: ['uleb'] },
  { code: 0xc0, name: 'DW_CFA_restore', operands: [] },
  { code: 0x00, name: 'DW_CFA_nop', operands: [] }, { code: 0x01, name: 'DW_CFA_set_loc', operands: ['addr'] },
  { code: 0x02, name: 'DW_CFA_advance_loc1', operands: ['u1'] }, { code: 0x03, name: 'DW_CFA_advance_loc2', operands: ['u2'] },
  { code: 0x04, name: 'DW_CFA_advance_loc4', operands: ['u4'] },
  { code: 0x05, name: 'DW_CFA_offset_extended', operands: ['uleb', 'uleb'] },
  { code: 0x06, name: 'DW_CFA_restore_extended', operands: ['uleb'] },
  { code: 0x07, name: 'DW_CFA_undefined', operands: ['uleb'] }, { code: 0x08, name: 'DW_CFA_same_value', operands: ['uleb'] },
  { code: 0x09, name: 'DW_CFA_register', operands: ['uleb', 'uleb'] },
  { code: 0x0a, name: 'DW_CFA_remember_state', operands: [] }, { code: 0x0b, name: 'DW_CFA_restore_state', operands: [] },
  { code: 0x0c, name: 'DW_CFA_def_cfa', operands: ['uleb', 'uleb'] },
  { code: 0x0d, name: 'DW_CFA_def_cfa_register', operands: ['uleb'] },
  { code: 0x0e, name: 'DW_CFA_def_cfa_offset', operands: ['uleb'] },
  { code: 0x0f, name: 'DW_CFA_def_cfa_expression', operands: ['block'] },
  { code: 0x10, name: 'DW_CFA_expression', operands: ['uleb', 'block'] },
  { code: 0x11, name: 'DW_CFA_offset_extended_sf', operands: ['uleb', 'sleb'] },
  { code: 0x12, name: 'DW_CFA_def_cfa_sf', operands: ['uleb', 'sleb'] },
  { code: 0x13, name: 'DW_CFA_def_cfa_offset_sf', operands: ['sleb'] },
  { code: 0x14, name: 'DW_CFA_val_offset', operands: ['uleb', 'uleb'] },
  { code: 0x15, name: 'DW_CFA_val_offset_sf', operands: ['uleb', 'sleb'] },
  { code: 0x16, name: 'DW_CFA_val_expression', operands: ['uleb', 'block'] },
  { code: 0x2d, name: 'DW_CFA_AARCH64_negate_ra_state', operands: [] },
  { code: 0x2e, name: 'DW_CFA_GNU_args_size', operands: ['uleb'] },
  { code: 0x2f, name: 'DW_CFA_GNU_negative_offset_extended', operands: ['uleb', 'uleb'] },
];
export const DW_CFA = new Map<number, CfaInfo>(CFA_ROWS.map((r) => [r.code, r]));

/**
 * AArch64 DWARF register numbers (AADWARF64 §4.1 "DWARF register names"):
 * 0–30 X0–X30, 31 SP, 32 PC, 33 ELR_mode, 34 RA_SIGN_STATE, 46 VG, 64–95 V0–V31.
 * Names are lower case as binutils prints them.
 */
export function aarch64RegName(n: number): string {
  if (n >= 0 && n <= 30) return `x${n}`;
  if (n === 31) return 'sp';
  if (n === 32) return 'pc';
  if (n === 33) return 'elr_mode';
  if (n === 34) return 'ra_sign_state';
  if (n === 46) return 'vg';
  if (n >= 64 && n <= 95) return `v${n - 64}`;
  return `r${n}`;
}

export const tagName = (c: number): string => DW_TAG.name.get(c) ?? `DW_TAG_<${hex(c)}>`;
export const atName = (c: number): string => DW_AT.name.get(c) ?? `DW_AT_<${hex(c)}>`;
export const formName = (c: number): string => DW_FORM.name.get(c) ?? `DW_FORM_<${hex(c)}>`;
export const opName = (c: number): string => DW_OP.get(c)?.name ?? `DW_OP_<${hex(c)}>`;

/** Code of a named tag/attribute/form (throws on a typo, at module load). */
function codeOf(t: { code: Map<string, number> }, n: string): number {
  const c = t.code.get(n);
  if (c === undefined) throw new Error(`no DWARF code named ${n}`);
  return c;
}
export const TAG = (n: string): number => codeOf(DW_TAG, n);
export const AT = (n: string): number => codeOf(DW_AT, n);

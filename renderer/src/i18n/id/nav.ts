export default {
  section_data: 'Data warga',
  section_finance: 'Keuangan',
  section_admin: 'Pengaturan',
  units: 'Unit rumah',
  residents: 'Warga',
  users: 'Pengguna & undangan',
  import: 'Impor data',
  open_menu: 'Buka menu',
  face_office: 'Kantor',
  face_portal: 'Portal warga',
  face_kiosk: 'Pos satpam',
};

export default {
  home_title: 'Pos Satpam',
  home_body: 'Layar pos jaga: pindai kartu QR warga dan tamu di sini.',
  home_waiting: 'Siap memindai',
  home_note: 'Pemindaian, pendaftaran tamu, dan buku tamu akan tampil di layar ini.',
};
